from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.formtools import Form, OffsetField
from eventmgr.registry.enums import NameOrder

UNDATED = ""


class RoomForm(Form):
    name = StringField("Room name", validators=[DataRequired(), Length(max=120)])


class SessionForm(Form):
    kind = SelectField("Kind", choices=[(k.value, k.label) for k in SessionKind],
                       default=SessionKind.PANEL.value)
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=20000)])
    day = SelectField("Day", coerce=str, default=UNDATED)
    starts_at = TimeField("Starts", validators=[Optional()])
    ends_at = TimeField("Ends", validators=[Optional()])
    is_side_event = BooleanField("A side event, outside the conference proper",
                                 description="Items before or after the event's dates always are.")
    room_id = SelectField("Room", coerce=str)
    parent_id = SelectField("Part of", coerce=str,
                            description="For a break-out group: the slot it belongs to.")
    accept_person_conflicts = BooleanField("Save anyway, although a person is on two sessions at once")
    # Shown only for a time the clocks pass twice (eventmgr.localtime), to say which is meant.
    starts_at_offset = OffsetField("Which start time?")
    ends_at_offset = OffsetField("Which end time?")

    def __init__(self, *args, zone_label: str, day_choices, room_choices, parent_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_at.label.text = f"Starts ({zone_label})"
        self.ends_at.label.text = f"Ends ({zone_label})"
        self.day.choices = [*day_choices, (UNDATED, "No day yet: only its place in the order")]
        self.room_id.choices = [("", "— no room —"), *room_choices]
        self.parent_id.choices = [("", "— none —"), *parent_choices]

    def validate_starts_at(self, field) -> None:
        if field.data is not None and self.day.data == UNDATED:
            raise ValidationError("Choose the day of an item with a time.")


class PlaceForm(Form):
    """The timetable's "move to" control: day, start, length and room of an item."""

    day = SelectField("Day", coerce=str)
    starts_at = TimeField("Starts", validators=[Optional()])
    minutes = IntegerField("Length (minutes)", validators=[Optional(), NumberRange(min=5, max=24 * 60)])
    room_id = SelectField("Room", coerce=str)
    accept_person_conflicts = BooleanField("Even if a person is on another item then")

    def __init__(self, *args, day_choices, room_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.day.choices = [*day_choices, (UNDATED, "No day yet")]
        self.room_id.choices = [("", "— no room —"), *room_choices]


class HolderForm(Form):
    """Someone on a session: chosen with the type-ahead picker (a person, an organization or a
    State), created on the spot, or a function alone."""

    role = SelectField("Role", choices=[(r.value, r.label) for r in SessionRoleKind],
                       default=SessionRoleKind.SPEAKER.value)
    # "person:12", "organization:3" or "state:KR": set by the picker, or chosen among matches.
    holder = HiddenField()
    query = StringField("Person, organization or State", validators=[Length(max=200)],
                        description="Type part of a name, an acronym or an email; accents do not matter.")
    function = StringField("Function on this session", validators=[Length(max=300)],
                           description="As the programme says it, e.g. “President of BAFA”. Left empty, "
                                       "a person's position is used.")
    honorific = StringField("Honorific", validators=[Length(max=40)])
    given_name = StringField("Given name", validators=[Length(max=120)])
    family_name = StringField("Family name", validators=[Length(max=120)])
    name_order = SelectField("Name order", choices=[(o.value, o.label) for o in NameOrder],
                             default=NameOrder.GIVEN_FAMILY.value)
    organization = StringField("Organization", validators=[Length(max=300)])
    email = StringField("Email (optional)", validators=[Optional(), Email(), Length(max=254)])
    accept_person_conflicts = BooleanField("Add anyway, although this person is on another session then")


class FunctionForm(Form):
    function = StringField("Function", validators=[Length(max=300)])


class CopyAgendaForm(Form):
    source_event_id = SelectField("Copy the agenda of", coerce=str, validators=[DataRequired()])


class AgendaImportForm(Form):
    file = FileField("Programme file", validators=[
        FileRequired("Choose a file."),
        FileAllowed(["csv", "txt", "xlsx", "xml", "json"], "Upload a .csv, .xlsx, .xml or .json file.")])


class ConfirmAgendaImportForm(Form):
    upload = HiddenField(validators=[DataRequired()])
