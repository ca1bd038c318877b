"""The base of every form (text normalised before any validator), and putting domain
errors on the form that caused them."""

from collections.abc import Mapping

import wtforms
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation

from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.text import LINE_LIMIT, TEXT_LIMIT, TextRefused, clean_text, too_long_message

# Text a browser sends back as it got it may have several lines, like a text area.
MULTILINE_FIELDS = (TextAreaField, HiddenField)


def _field_limit(field: Field) -> int:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    if limits:
        return min(limits)
    return TEXT_LIMIT if isinstance(field, MULTILINE_FIELDS) else LINE_LIMIT


class NormalizedText:
    """First validator of every text field: the text normaliser (eventmgr.text).

    It runs before the field's own validators, so a refused value (a control character,
    a 10 MB "email") stops there, and the others see the normalised value: a name of
    zero-width spaces is empty for DataRequired. Passwords are only held to their length,
    never changed.
    """

    def __init__(self, *, multiline: bool, max_length: int, change: bool = True) -> None:
        self.multiline, self.max_length, self.change = multiline, max_length, change

    def __call__(self, form, field: Field) -> None:
        if not isinstance(field.data, str):
            return
        if not self.change:
            if len(field.data) > self.max_length:
                raise StopValidation(too_long_message(self.max_length))
            return
        try:
            cleaned = clean_text(field.data, multiline=self.multiline, max_length=self.max_length)
        except TextRefused as refused:
            raise StopValidation(refused.message) from None
        if cleaned != field.data:
            field.data = cleaned
            field.raw_data = [cleaned]


def install_normalizer(field: Field) -> Field:
    if isinstance(field, PasswordField):
        normalizer = NormalizedText(multiline=False, max_length=_field_limit(field), change=False)
    elif isinstance(field, StringField):
        normalizer = NormalizedText(multiline=isinstance(field, MULTILINE_FIELDS),
                                    max_length=_field_limit(field))
    else:
        return field
    field.validators = [normalizer, *field.validators]
    return field


class NormalizingMeta:
    """WTForms' hook on binding each field: text fields get the normaliser first."""

    def bind_field(self, form, unbound_field, options):
        return install_normalizer(super().bind_field(form, unbound_field, options))


class Form(FlaskForm):
    """The base of every form of the app (a test checks that none is left out)."""

    class Meta(NormalizingMeta):
        pass


class SubForm(wtforms.Form):
    """The base of forms nested in another (FormField, FieldList): no CSRF of their own."""

    class Meta(NormalizingMeta):
        pass


class OffsetField(RadioField):
    """The choice between the two readings of a wall-clock time the clocks pass twice
    (eventmgr.localtime.AmbiguousTime): empty, and not shown, until `offer` fills it."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, choices=[], validate_choice=False, **kwargs)

    def offer(self, readings) -> None:
        first, second = readings
        self.choices = [(first.offset, f"{first.label}, the first time"),
                        (second.offset, f"{second.label}, the second time")]


def show_domain_error(form: FlaskForm, error: DomainError,
                      field_names: Mapping[str, str] | None = None) -> None:
    """Show a domain error next to its field, or on top of the form when it names none.

    `field_names` maps a service's field name to the form's where they differ.
    """
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
    for name, messages in errors.items():
        name = (field_names or {}).get(name, name)
        if name and name in form:
            form[name].errors = list(form[name].errors) + messages
        else:
            form.form_errors.extend(messages)
