from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from eventmgr.formtools import Form
from eventmgr.portal.service import MAX_POST_LENGTH


class UploadForm(Form):
    file = FileField("Document", validators=[FileRequired("Choose a file to upload.")],
                     description="PDF, DOCX, PPTX or XLSX.")
    session_id = SelectField("For", coerce=int, choices=[(0, "The whole event")])


class ListingForm(Form):
    listed = BooleanField("List me in the directory")
    share_contact = BooleanField("Show my email and position to the other participants")


class PostForm(Form):
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=MAX_POST_LENGTH)],
                         description="Markdown: **bold**, *italic*, [links](https://example.org), lists.")
    announcement = BooleanField("Announcement: also email it to every confirmed participant")


class ReplyForm(Form):
    body = TextAreaField("Reply", validators=[DataRequired(), Length(max=MAX_POST_LENGTH)])


class DecisionForm(Form):
    decision = HiddenField(validators=[AnyOf(("approve", "reject"))])


class DeletionForm(Form):
    """Asking for deletion is one button; CSRF is the only field."""
