"""Putting domain errors on the form that caused them."""

from collections.abc import Mapping

from flask_wtf import FlaskForm

from eventmgr.errors import DomainError, ValidationFailed


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
