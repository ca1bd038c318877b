from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.formtools import Form, OffsetField

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class RoomForm(Form):
    name = StringField("Room name", validators=[DataRequired(), Length(max=120)])


class SessionForm(Form):
    kind = SelectField("Kind", choices=[(k.value, k.label) for k in SessionKind])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=20000)])
    starts_at = DateTimeLocalField("Starts", format=LOCAL_FORMAT,
                                   validators=[DataRequired(message="Enter a date and time.")])
    ends_at = DateTimeLocalField("Ends", format=LOCAL_FORMAT,
                                 validators=[DataRequired(message="Enter a date and time.")])
    room_id = SelectField("Room", coerce=str)
    parent_id = SelectField("Part of", coerce=str,
                            description="For a break-out group: the slot it belongs to.")
    position = IntegerField("Position", default=0, validators=[Optional(), NumberRange(min=0, max=999)])
    accept_person_conflicts = BooleanField("Save anyway, although a person is on two sessions at once")
    # Shown only for a time the clocks pass twice (eventmgr.localtime), to say which is meant.
    starts_at_offset = OffsetField("Which start time?")
    ends_at_offset = OffsetField("Which end time?")

    def __init__(self, *args, zone_label: str, room_choices, parent_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_at.label.text = f"Starts ({zone_label})"
        self.ends_at.label.text = f"Ends ({zone_label})"
        self.room_id.choices = [("", "— no room —"), *room_choices]
        self.parent_id.choices = [("", "— none —"), *parent_choices]


class SessionPersonForm(Form):
    """A person from the directory, or a new one created on the spot."""

    role = SelectField("Role", choices=[(r.value, r.label) for r in SessionRoleKind])
    person_id = SelectField("Person from the directory", coerce=str)
    email = StringField("Or a new person: email", validators=[Optional(), Email(), Length(max=254)])
    given_name = StringField("Given name", validators=[Length(max=120)])
    family_name = StringField("Family name", validators=[Length(max=120)])
    accept_person_conflicts = BooleanField("Add anyway, although this person is on another session then")

    def __init__(self, *args, person_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.choices = [("", "— choose —"), *person_choices]


class CopyAgendaForm(Form):
    source_event_id = SelectField("Copy the agenda of", coerce=str, validators=[DataRequired()])
