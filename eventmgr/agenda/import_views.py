"""Importing a programme: upload, a preview saying what each row becomes and whom each people
entry means (matched, new, or choose among namesakes), then one confirmation, all or nothing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eventmgr.agenda import imports
from eventmgr.agenda.forms import AgendaImportForm, ConfirmAgendaImportForm
from eventmgr.agenda.views import bp, event_or_404, zone_text
from eventmgr.auth.decorators import staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.series.models import Event
from eventmgr.templating import counted
from eventmgr.uploads import keep_upload, kept_upload

CHOICE_PREFIX = "choice-"


def _choices() -> dict[str, str]:
    return {key.removeprefix(CHOICE_PREFIX): value for key, value in request.form.items()
            if key.startswith(CHOICE_PREFIX) and value}


def _preview(event: Event, result: imports.AgendaImport, filename: str, upload: str | None, status: int):
    return render_template("agenda/import_preview.html", event=event, result=result, filename=filename,
                           confirm_form=ConfirmAgendaImportForm(upload=upload) if upload else None,
                           choices=_choices(), zone=zone_text(event), choice_prefix=CHOICE_PREFIX), status


@bp.route("/events/<slug>/agenda/import", methods=["GET", "POST"])
@staff_required
def import_programme(slug: str):
    """Upload a programme (CSV, XLSX, frab XML, schedule JSON, Indico JSON) and preview it."""
    event = event_or_404(slug, staff=True)
    form = AgendaImportForm()
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename or ""
        try:
            result = imports.import_programme(event, data, filename, current_user, dry_run=True)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.rollback()
            upload = None if result.errors else keep_upload(data, filename)
            return _preview(event, result, filename, upload, 400 if result.errors else 200)
    return render_template("agenda/import.html", event=event, form=form), 400 if form.errors else 200


@bp.route("/events/<slug>/agenda/import/confirm", methods=["POST"])
@staff_required
def confirm_import(slug: str):
    """Import the previewed file with the organizer's choices, all or nothing."""
    event = event_or_404(slug, staff=True)
    form = ConfirmAgendaImportForm()
    path = kept_upload(form.upload.data) if form.validate_on_submit() else None
    if path is None:
        flash("That upload has expired or is unknown: upload the file again.", "error")
        return redirect(url_for("agenda.import_programme", slug=slug))
    try:
        result = imports.import_programme(event, path.read_bytes(), path.name, current_user,
                                          choices=_choices())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("agenda.import_programme", slug=slug))
    if not result.applied:
        db.session.rollback()
        if not result.errors:
            flash("Choose who is meant for every entry marked “choose”.", "error")
        return _preview(event, result, path.name, None if result.errors else form.upload.data, 400)
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(f"Imported {counted(len(result.items), 'item')}: "
          f"{counted(result.people_created, 'new person', 'new people')}, "
          f"{counted(result.organizations_created, 'new organization')}, "
          f"{counted(len(result.new_rooms), 'new room')}.", "success")
    return redirect(url_for("agenda.editor", slug=slug))
