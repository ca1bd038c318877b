from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from eventmgr.formtools import Form
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.service import MAX_SEATS
from eventmgr.registry.enums import OrganizationKind, Sector


class AddPeopleForm(Form):
    emails = TextAreaField("Email addresses of people in the directory, one a line",
                           validators=[DataRequired(), Length(max=100_000)])


def seats_field(**kwargs) -> IntegerField:
    return IntegerField("Seats", validators=[
        InputRequired("Give the number of seats."),
        NumberRange(1, MAX_SEATS, f"Give between 1 and {MAX_SEATS} seats.")],
        render_kw={"min": 1, "max": MAX_SEATS}, **kwargs)


class SeatsForm(Form):
    seats = seats_field()


class OrganizationInvitationForm(Form):
    organization_id = SelectField("Organization", coerce=str, validate_choice=True,
                                  validators=[DataRequired("Choose the organization.")])
    seats = seats_field(default=2)
    contact_email = StringField("Contact's email", validators=[
        DataRequired("Give the email of the person who names the delegates."),
        Email("Enter a valid email address."), Length(max=254)],
        description="The invitation goes to this person, who names the delegates through the link.")
    contact_given_name = StringField("Contact's given name", validators=[Length(max=120)],
                                     description="Only if the contact is not yet in the directory.")
    contact_family_name = StringField("Contact's family name", validators=[Length(max=120)])

    def __init__(self, *args, organization_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [("", "— choose —"), *organization_choices]


class TemplateForm(Form):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Body", validators=[DataRequired(), Length(max=20_000)], render_kw={"rows": 12})
    answer_deadline = DateField("Answer deadline", validators=[Optional()])
    attach_calendar = BooleanField("Attach a calendar invitation (.ics)")


class AnswerForm(Form):
    answer = RadioField("Your answer", validators=[DataRequired()], choices=[
        (InvitationStatus.ACCEPTED.value, "I accept — continue to registration"),
        (InvitationStatus.TENTATIVE.value, "I may attend (tentative)"),
        (InvitationStatus.DECLINED.value, "I decline"),
    ])
    reason = TextAreaField("Reason for declining (optional)", validators=[Optional(), Length(max=2000)])

    def address_organization(self) -> None:
        """Word the choices for an organization's contact, who names delegates after accepting."""
        self.answer.choices = [
            (InvitationStatus.ACCEPTED.value, "We accept — continue to naming the delegates"),
            (InvitationStatus.TENTATIVE.value, "We may attend (tentative)"),
            (InvitationStatus.DECLINED.value, "We decline"),
        ]


class DirectoryFilterForm(Form):
    kind = SelectField("Kind of organization", default="",
                       choices=[("", "Any kind")] + [(k.value, k.label) for k in OrganizationKind])
    sector = SelectField("Sector", default="",
                         choices=[("", "Any sector")] + [(s.value, s.label) for s in Sector])


class EarlierEventForm(Form):
    earlier_event_id = SelectField("Earlier event of the series", coerce=int, validators=[DataRequired()])


class InvitationImportForm(Form):
    file = FileField("CSV or XLSX file (participant-import columns, without role and status)",
                     validators=[FileRequired("Choose a file.")])
