from zoneinfo import available_timezones

from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from eventmgr.countries import country_choices
from eventmgr.formtools import Form, SubForm
from eventmgr.series.enums import EventStatus, OrganizerRole, RegistrationMode


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))] + [("UTC", "UTC")]


class SeriesForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Web address", validators=[Optional(), Length(max=80)],
                       render_kw={"data-slug-from": "name"},
                       description="The series' part of its links, e.g. wiesbaden-process: lower-case "
                                   "letters, digits and hyphens. Left empty, it is made from the name.")
    description = TextAreaField("Description", validators=[Length(max=20000)])
    mandate_references = TextAreaField(
        "Mandate references", validators=[Length(max=5000)],
        description="For example: Security Council resolutions 1540 (2004) and 1977 (2011).",
    )


class OrganizerRowForm(SubForm):
    organization_id = SelectField("Organization", coerce=str, validate_choice=True)
    role = SelectField("Role", choices=[(r.value, r.label) for r in OrganizerRole])


class EventForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    slug = StringField("Web address", validators=[Optional(), Length(max=80)],
                       render_kw={"data-slug-from": "title"},
                       description="The event's part of its links, as in /events/frankfurt-2014: lower-case "
                                   "letters, digits and hyphens. Left empty, it is made from the title.")
    theme = StringField("Theme", validators=[Length(max=500)])
    background = TextAreaField("Background", validators=[Length(max=50000)])
    start_date = DateField("First day", validators=[DataRequired(message="Enter a date.")])
    end_date = DateField("Last day", validators=[DataRequired(message="Enter a date.")])
    timezone = SelectField("Time zone", default="Europe/Berlin",
                           description="Agenda times are entered and shown in this zone.")
    venue_name = StringField("Venue", validators=[Length(max=200)])
    venue_city = StringField("City", validators=[Length(max=120)])
    venue_country = SelectField("Country", validators=[Optional()])
    registration_mode = SelectField(
        "Registration", choices=[(m.value, m.label) for m in RegistrationMode],
        default=RegistrationMode.INVITATION_ONLY.value,
    )
    capacity = IntegerField(
        "Capacity", validators=[Optional(), NumberRange(min=1, message="At least 1 seat."),
                                NumberRange(max=1_000_000, message="At most 1,000,000 seats.")],
        description="Number of seats; leave empty for no limit.",
    )
    goals = TextAreaField("Goals", validators=[Length(max=20000)],
                          description="One goal per line, in order.")
    organizers = FieldList(FormField(OrganizerRowForm), min_entries=0)

    def __init__(self, *args, organization_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.venue_country.choices = [("", "—"), *country_choices()]
        for row in self.organizers:
            row.organization_id.choices = [("", "—"), *organization_choices]

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError("The event cannot end before it starts.")


class StatusForm(Form):
    status = SelectField("Status", choices=[(s.value, s.label) for s in EventStatus])
