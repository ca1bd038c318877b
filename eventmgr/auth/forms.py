from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from eventmgr.auth.enums import Role
from eventmgr.formtools import Form


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class UserForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=[(r.value, r.label) for r in Role])
    password = PasswordField(
        "Password", validators=[Optional(), Length(min=10, max=200)],
        description="At least 10 characters. Leave empty to let the user set one later.",
    )


class RoleForm(Form):
    role = SelectField("Role", choices=[(r.value, r.label) for r in Role])


class GrantForm(Form):
    series_id = SelectField("Series", coerce=int, choices=[])
    role = SelectField("Rights", choices=[(Role.ORGANIZER.value, "Organizer"),
                                          (Role.RAPPORTEUR.value, "Rapporteur")])



class SetPasswordForm(Form):
    password = PasswordField("New password", validators=[DataRequired(), Length(
        min=10, max=200, message="The password must have between 10 and 200 characters.")],
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat the password", validators=[
        DataRequired(), EqualTo("password", message="The two passwords differ.")])


class ChangePasswordForm(Form):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("New password", validators=[DataRequired(), Length(
        min=10, max=200, message="The password must have between 10 and 200 characters.")],
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat the new password", validators=[
        DataRequired(), EqualTo("password", message="The two passwords differ.")])


class ResetRequestForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ProfileForm(Form):
    honorific = StringField("Honorific", validators=[Optional(), Length(max=40)],
                            description="e.g. Ms., Dr., H.E.")
    given_name = StringField("Given name", validators=[DataRequired(), Length(max=120)])
    family_name = StringField("Family name", validators=[DataRequired(), Length(max=120)])
    position = StringField("Position", validators=[Optional(), Length(max=200)])
