from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventmgr.invitations.enums import InvitationStatus
from eventmgr.registry.enums import OrganizationKind, Sector


class AddPeopleForm(FlaskForm):
    emails = TextAreaField("Email addresses of people in the directory, one a line",
                           validators=[DataRequired(), Length(max=100_000)])


class TemplateForm(FlaskForm):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Body", validators=[DataRequired(), Length(max=20_000)], render_kw={"rows": 12})
    answer_deadline = DateField("Answer deadline", validators=[Optional()])
    attach_calendar = BooleanField("Attach a calendar invitation (.ics)")


class AnswerForm(FlaskForm):
    answer = RadioField("Your answer", validators=[DataRequired()], choices=[
        (InvitationStatus.ACCEPTED.value, "I accept — continue to registration"),
        (InvitationStatus.TENTATIVE.value, "I may attend (tentative)"),
        (InvitationStatus.DECLINED.value, "I decline"),
    ])
    reason = TextAreaField("Reason for declining (optional)", validators=[Optional(), Length(max=2000)])


class DirectoryFilterForm(FlaskForm):
    kind = SelectField("Kind of organization", default="",
                       choices=[("", "Any kind")] + [(k.value, k.label) for k in OrganizationKind])
    sector = SelectField("Sector", default="",
                         choices=[("", "Any sector")] + [(s.value, s.label) for s in Sector])


class EarlierEventForm(FlaskForm):
    earlier_event_id = SelectField("Earlier event of the series", coerce=int, validators=[DataRequired()])


class InvitationImportForm(FlaskForm):
    file = FileField("CSV or XLSX file (participant-import columns, without role and status)",
                     validators=[FileRequired("Choose a file.")])
