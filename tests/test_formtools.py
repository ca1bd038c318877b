"""Every form of the app passes its text through the normaliser before its validators."""

from __future__ import annotations

import importlib
import pkgutil

import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

import eventmgr
from eventmgr import formtools
from eventmgr.formtools import Form, NormalizedText


def _app_forms() -> list[type]:
    for module in pkgutil.walk_packages(eventmgr.__path__, "eventmgr."):
        importlib.import_module(module.name)
    found, pending = [], [wtforms.Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("eventmgr.") and subclass.__module__ != formtools.__name__:
                found.append(subclass)
    return found


def test_every_form_of_the_app_derives_from_the_normalising_base():
    forms = _app_forms()
    assert len(forms) > 30
    strays = [f"{form.__module__}.{form.__qualname__}" for form in forms
              if not issubclass(form, Form | formtools.SubForm)]
    assert strays == [], "derive these from eventmgr.formtools.Form (or SubForm when nested)"


class SampleForm(Form):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = StringField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    notes = TextAreaField("Notes")
    password = PasswordField("Password", validators=[Length(max=200)])


def _form(app, **data) -> SampleForm:
    with app.test_request_context():
        form = SampleForm(formdata=MultiDict({"name": "Ana", "email": "ana@example.org"} | data))
        form.validate()
        return form


def test_the_normaliser_runs_first_on_every_text_field(app):
    with app.test_request_context():
        form = SampleForm(formdata=MultiDict())
    assert [type(field.validators[0]) for field in form] == [NormalizedText] * 4


def test_text_is_normalised_before_the_fields_own_validators(app):
    assert _form(app, name="\u200b\u200b").errors == {"name": ["This field is required."]}
    assert _form(app, name="Ana\x01").errors["name"][0].startswith("Remove the control character U+0001")
    assert _form(app, notes="one\r\ntwo").notes.data == "one\ntwo"
    assert _form(app, notes="bell\x07").errors["notes"][0].startswith("Remove the control character")


def test_a_huge_field_is_refused_before_email_validation_runs(app, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("email validation ran on a 10 MB value")

    monkeypatch.setattr("email_validator.validate_email", never)
    form = _form(app, email="a" * 10_000_000 + "@example.org")
    assert form.errors == {"email": ["Field cannot be longer than 254 characters."]}


def test_passwords_are_held_to_their_length_but_never_changed(app):
    assert _form(app, password="Jose\u0301\x01").password.data == "Jose\u0301\x01"
    assert _form(app, password="x" * 201).errors == {
        "password": ["Field cannot be longer than 200 characters."]}
