from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventmgr.invitations.enums import InvitationStatus


class AddPeopleForm(FlaskForm):
    emails = TextAreaField("Email addresses of people in the directory, one a line",
                           validators=[DataRequired(), Length(max=100_000)])


class TemplateForm(FlaskForm):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Body", validators=[DataRequired(), Length(max=20_000)])
    answer_deadline = DateField("Answer deadline", validators=[Optional()])
    attach_calendar = BooleanField("Attach a calendar invitation (.ics)")


class AnswerForm(FlaskForm):
    answer = RadioField("Your answer", validators=[DataRequired()], choices=[
        (InvitationStatus.ACCEPTED.value, "I accept — continue to registration"),
        (InvitationStatus.TENTATIVE.value, "I may attend (tentative)"),
        (InvitationStatus.DECLINED.value, "I decline"),
    ])
    reason = TextAreaField("Reason for declining (optional)", validators=[Optional(), Length(max=2000)])
