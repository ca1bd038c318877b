"""Forms of the registry: directory, registration, imports, lists."""

import re
from collections.abc import Callable

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from eventmgr.countries import country_choices
from eventmgr.formtools import Form
from eventmgr.registry.enums import (
    EnclosureLayout,
    ListCategory,
    ListVisibility,
    NameOrder,
    OrganizationKind,
    OrganizationSize,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)


# ---- registration
class OrganizationField(SelectField):
    """An organization of the directory, by id, for a form that is posted far more often than shown
    (the public registration form in a rush). The list is read only to render the field; a
    submitted id is looked up on its own, one row, instead of in a list of the whole directory."""

    def __init__(self, label=None, validators=None, *, blank: str, **kwargs) -> None:
        super().__init__(label, validators, coerce=str, default="", **kwargs)
        self.blank = blank
        self.listing: Callable[[], list[tuple[str, str]]] = list
        self.exists: Callable[[int], bool] = lambda organization_id: False

    def iter_choices(self):
        if self.choices is None:
            self.choices = [("", self.blank), *self.listing()]
        return super().iter_choices()

    def pre_validate(self, form) -> None:
        # An id as the list writes it: ASCII digits, within the database's integers.
        valid_id = self.data.isascii() and self.data.isdigit() and len(self.data) <= 18
        if self.data and not (valid_id and self.exists(int(self.data))):
            raise ValidationError(self.gettext("Not a valid choice."))


class RegistrationForm(Form):
    """The public registration form; organizers use it to register someone by hand."""

    honorific = StringField("Honorific", validators=[Length(max=40)],
                            description="For example Mr., Ms., Dr., H.E.")
    given_name = StringField("Given name", validators=[Length(max=120)],
                             description="Leave it empty if you go by one name only.")
    family_name = StringField("Family name", validators=[DataRequired("Enter your family name."),
                                                        Length(max=120)])
    name_order = SelectField("Name order", choices=[(o.value, o.label) for o in NameOrder],
                             default=NameOrder.GIVEN_FAMILY.value)
    email = StringField("Email", validators=[DataRequired("Enter your email address."),
                                             Email("Enter a valid email address."), Length(max=254)])
    position = StringField("Position", validators=[Length(max=200)])
    # A default of "" so an absent field means "not in the list", not the text "None".
    organization_id = OrganizationField("Organization", blank="— not in the list —",
                                        description="Choose it from the list, or leave this empty and "
                                                    "name your organization below.")
    organization_name = StringField("Organization not in the list", validators=[Length(max=300)])
    organization_kind = SelectField(
        "Kind of organization", default="",
        choices=[("", "—")] + [(k.value, k.label) for k in OrganizationKind])
    organization_country = SelectField("Country of the organization", default="",
                                       choices=lambda: [("", "—"), *country_choices()])
    dietary_needs = StringField("Dietary needs", validators=[Length(max=500)])
    access_needs = StringField("Access needs", validators=[Length(max=500)],
                               description="For example wheelchair access or a sign-language interpreter.")
    visa_letter = BooleanField("I need a letter supporting my visa application")
    consent_to_list = BooleanField("My name may appear on the participant list")

    def __init__(self, *args, organization_choices: Callable[[], list[tuple[str, str]]],
                 organization_exists: Callable[[int], bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.listing, self.organization_id.exists = organization_choices, organization_exists

    def address_delegate(self) -> None:
        """Word the form for an organization's contact who registers a delegate."""
        self.visa_letter.label.text = "The delegate needs a letter supporting a visa application"
        self.consent_to_list.label.text = "The delegate's name may appear on the participant list"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.organization_id.data:
            if not (self.organization_name.data or "").strip():
                self.organization_id.errors = [*self.organization_id.errors,
                                               "Choose your organization, or name it below."]
                valid = False
            elif not self.organization_kind.data:
                self.organization_kind.errors = [*self.organization_kind.errors,
                                                 "Choose what kind of organization it is."]
                valid = False
        return valid


class StaffRegistrationForm(RegistrationForm):
    """Registering someone by hand: the organizer also sets the role."""

    role = SelectField("Role", choices=[(r.value, r.label) for r in ParticipantRole])
    notify = BooleanField("Send the confirmation email", default=True)


class CancelRegistrationForm(Form):
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=1000)])


class ConfirmForm(Form):
    """The button on a mailed confirmation link (a POST, so that link scanners confirm nothing)."""


class RegistrationFilterForm(Form):
    """The filters of the registrations list, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField("Name, email or organization")
    status = SelectField("Status", choices=[("", "Any")] + [(s.value, s.label) for s in RegistrationStatus]
                         + [("attended", "Attended")])
    category = SelectField("Category", choices=[("", "Any")] + [(c.value, c.heading) for c in ListCategory])
    country = SelectField("Country", choices=lambda: [("", "Any"), *country_choices()])
    role = SelectField("Role", choices=[("", "Any")] + [(r.value, r.label) for r in ParticipantRole])
    sort = SelectField("Sort by", choices=[("name", "Name"), ("organization", "Organization"),
                                           ("country", "Country"), ("status", "Status"),
                                           ("registered", "Registration time")])


# ---- directory, imports and lists


def _country_or_blank(blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank), *country_choices()]


class DirectoryFilterForm(Form):
    """The directory filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Length(max=200)])
    kind = SelectField("Kind", choices=[("", "Any")] + [(k.value, k.label) for k in OrganizationKind])
    country = SelectField("Country", choices=lambda: _country_or_blank("Any"))
    sector = SelectField("Sector", choices=[("", "Any")] + [(s.value, s.label) for s in Sector])


class OrganizationForm(Form):
    name = StringField("Name", validators=[DataRequired("Give the organization a name."),
                                           Length(max=300)],
                       description="As the participant list should show it, commas and all.")
    acronym = StringField("Acronym", validators=[Length(max=40)])
    aliases = TextAreaField("Other names", validators=[Length(max=5000)], render_kw={"rows": 3},
                            description="One a line: other names and spellings it goes by "
                                        "(“1540 Committee”). Imports and registrations match them.")
    kind = SelectField("Kind", choices=[(k.value, k.label) for k in OrganizationKind],
                       default=OrganizationKind.GOVERNMENT.value)
    country = SelectField("Country", choices=_country_or_blank, validators=[Optional()])
    state = SelectField("State", choices=_country_or_blank, validators=[Optional()],
                        description="The State it belongs to, if any: it is then a government "
                                    "authority, listed under that State (defaults to the country "
                                    "for government authorities).")
    size = SelectField("Size", choices=[("", "Not known"), *((s.value, s.label) for s in OrganizationSize)],
                       validators=[Optional()], description="Companies only.")
    sectors = SelectMultipleField("Sectors", choices=[(s.value, s.label) for s in Sector],
                                  option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))


class PersonForm(Form):
    honorific = StringField("Honorific", validators=[Length(max=40)],
                            description="For example Mr., Ms., Dr., H.E.")
    given_name = StringField("Given name", validators=[Length(max=120)],
                             description="May stay empty for someone known by one name only.")
    family_name = StringField("Family name", validators=[DataRequired("Enter the family name."),
                                                        Length(max=120)])
    name_order = SelectField("Name order", choices=[(o.value, o.label) for o in NameOrder],
                             default=NameOrder.GIVEN_FAMILY.value)
    email = StringField("Email", validators=[Length(max=254)],
                        description="May stay empty: a speaker known only from a programme has none.")
    position = StringField("Position", validators=[Length(max=200)])
    organization_id = SelectField("Organization", coerce=str, validate_choice=True)
    country = SelectField("Country", choices=_country_or_blank, validators=[Optional()])
    consent_to_list = BooleanField("May appear on participant lists")

    def __init__(self, *args, organization_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [("", "—"), *organization_choices]


class MergeOrganizationForm(Form):
    duplicate_id = IntegerField("Number of the duplicate organization",
                                validators=[DataRequired("Enter the number shown on the duplicate's page."),
                                            NumberRange(min=1)],
                                description="Its people and registrations move here; it is then deleted.")


class MergePersonForm(Form):
    duplicate_email = StringField("Email of the duplicate record",
                                  validators=[DataRequired("Enter the duplicate's email address."),
                                              Length(max=254)],
                                  description="Its registrations, roles and invitations move here; "
                                              "it is then deleted.")


class ImportForm(Form):
    file = FileField("Participant file", validators=[
        FileRequired("Choose a file."),
        FileAllowed(["csv", "txt", "xlsx"], "Upload a .csv or .xlsx file.")])


class ConfirmImportForm(Form):
    """Confirms a previewed upload; the answers to its possible-duplicate questions come as
    `question-N-key` (the typed name's key) and `question-N` (an organization id, or "new")."""

    upload = HiddenField(validators=[DataRequired()])

    def same_as(self, formdata) -> dict[str, int | None]:
        answers: dict[str, int | None] = {}
        for name in formdata:
            if re.fullmatch(r"question-\d+-key", name):
                answer = formdata.get(name[:-len("-key")], "")
                answers[formdata[name]] = int(answer) if answer.isdigit() else None
        return answers


class MoveForm(Form):
    organization_id = HiddenField(validators=[DataRequired()])
    direction = HiddenField(validators=[DataRequired()])


class EnclosureLayoutForm(Form):
    """The enclosure's layout, read from the query string."""

    class Meta:
        csrf = False

    layout = SelectField("Layout", choices=[(layout.value, layout.label) for layout in EnclosureLayout],
                         default=EnclosureLayout.RUN_IN.value)

    @property
    def chosen(self) -> EnclosureLayout:
        return EnclosureLayout(self.layout.data) if self.validate() else EnclosureLayout.RUN_IN


class ListVisibilityForm(Form):
    visibility = SelectField("What the public list shows",
                             choices=[(v.value, v.label) for v in ListVisibility])
