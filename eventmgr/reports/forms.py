from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventmgr.formtools import Form
from eventmgr.reports.enums import FollowUpStatus, ReportStatus

MARKDOWN_HINT = "Markdown: blank line between paragraphs, “- ” for bullets, **bold**, *italic*."


def _optional_id(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class NoteForm(Form):
    body = TextAreaField("Notes", validators=[DataRequired(), Length(max=50_000)],
                         description=MARKDOWN_HINT, render_kw={"rows": 10})


class FindingForm(Form):
    text = TextAreaField("Finding", validators=[DataRequired(), Length(max=2_000)],
                         description="One short statement.", render_kw={"rows": 2})
    is_key = BooleanField("Key finding (listed under “Key findings”)")


class RecommendationForm(Form):
    text = TextAreaField("Recommendation or next step", validators=[DataRequired(), Length(max=2_000)],
                         render_kw={"rows": 2})
    addressee = StringField("Addressed to", validators=[DataRequired(), Length(max=200)],
                            description="For example: the 1540 Committee, States, industry associations.")


class FollowUpForm(Form):
    status = SelectField("Follow-up status", choices=[(s.value, s.label) for s in FollowUpStatus])
    follow_up_session_id = SelectField("Taken up in a session of a later event", coerce=_optional_id,
                                       validate_choice=False)
    follow_up_report_id = SelectField("Taken up in the report of a later event", coerce=_optional_id,
                                      validate_choice=False)
    note = TextAreaField("Note on the follow-up", validators=[Length(max=2_000)], render_kw={"rows": 2})


class SectionForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    body = TextAreaField("Text", validators=[Length(max=200_000)], description=MARKDOWN_HINT,
                         render_kw={"rows": 18})


class SettingsForm(Form):
    title = StringField("Report title", validators=[DataRequired(), Length(max=300)])
    subtitle = TextAreaField("Subtitle lines", validators=[Length(max=2_000)], render_kw={"rows": 3},
                             description="Shown in bold under the title, one line each.")
    numbered = BooleanField("Number the paragraphs through the whole report")


class LetterForm(Form):
    symbol = StringField("Document symbol", validators=[Length(max=80)],
                         description="For example S/2014/950; leave empty until it is assigned.")
    organ = StringField("Issued to the organ", validators=[Length(max=200)],
                        description="For example Security Council or General Assembly (the symbol block).")
    language = StringField("Original language", validators=[DataRequired(), Length(max=40)])
    sender_function = StringField("Written by (function)", validators=[Length(max=300)],
                                  description="As the title reads it, for example: "
                                              "the Chargé d'affaires a.i.")
    sender = TextAreaField("Of (mission or office)", validators=[DataRequired(), Length(max=1_000)],
                           render_kw={"rows": 2},
                           description="For example: the Permanent Mission of Germany to the "
                                       "United Nations.")
    addressee = TextAreaField("Addressed to", validators=[DataRequired(), Length(max=1_000)],
                              render_kw={"rows": 2},
                              description="For example: the President of the Security Council.")
    date = DateField("Date", validators=[Optional()])
    body = TextAreaField("Text", validators=[DataRequired(), Length(max=20_000)],
                         description=MARKDOWN_HINT, render_kw={"rows": 10})
    signature = TextAreaField("Signature", validators=[Length(max=1_000)], render_kw={"rows": 3},
                              description="The name on the first line (it follows “(Signed)”), then "
                                          "each function on a line.")


class StatusForm(Form):
    status = SelectField("New status", choices=[(s.value, s.label) for s in ReportStatus])


class RegenerateForm(Form):
    expected_body = HiddenField()
