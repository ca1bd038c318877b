from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from eventmgr.formtools import Form


class LetterheadForm(Form):
    issuer = StringField("Issued by", validators=[DataRequired(), Length(max=300)],
                         description="The office on the letterhead, e.g. Federal Foreign Office.")
    address = TextAreaField("Address", validators=[Length(max=1_000)], render_kw={"rows": 3},
                            description="One line each.")
    contact = TextAreaField("Telephone, email, website", validators=[Length(max=1_000)],
                            render_kw={"rows": 2}, description="One line each.")
    place = StringField("Place of signature", validators=[Length(max=120)],
                        description="Printed before the date, e.g. Berlin.")
    signatory_name = StringField("Signed by", validators=[Length(max=200)])
    signatory_function = TextAreaField("Function of the signatory", validators=[Length(max=1_000)],
                                       render_kw={"rows": 2}, description="One line each.")
    visa_addressee = StringField("Visa letters addressed to", validators=[Length(max=300)],
                                 description="e.g. To the Embassy or Consulate concerned; leave "
                                             "empty for none.")
