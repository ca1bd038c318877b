"""Letters to participants: the letterhead, each letter and all of them, by download or mail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from eventmgr.auth.decorators import staff_required
from eventmgr.documents.download import document_response
from eventmgr.errors import NotFound
from eventmgr.extensions import db
from eventmgr.letters import service
from eventmgr.letters.enums import LetterKind
from eventmgr.letters.forms import LetterheadForm
from eventmgr.series.views import event_for_staff

bp = Blueprint("letters", __name__)

def _kind(value: str) -> LetterKind:
    if value not in set(LetterKind):
        abort(404)
    return LetterKind(value)


def _render_index(event, form: LetterheadForm, code: int = 200):
    return render_template("letters/index.html", event=event, form=form, kinds=list(LetterKind),
                           recipients={kind: service.recipients(event, kind) for kind in LetterKind}), code


@bp.route("/events/<slug>/letters")
@staff_required
def index(slug: str):
    """The letterhead, and who gets a visa-support letter or a certificate of attendance."""
    event = event_for_staff(slug)
    return _render_index(event, LetterheadForm(obj=service.letterhead_of(event)))


@bp.route("/events/<slug>/letters/letterhead", methods=["POST"])
@staff_required
def letterhead(slug: str):
    event = event_for_staff(slug)
    form = LetterheadForm()
    if not form.validate_on_submit():
        return _render_index(event, form, 400)
    service.save_letterhead(event, **{name: getattr(form, name).data or ""
                                      for name in service.LETTERHEAD_FIELDS})
    db.session.commit()
    flash("Letterhead saved.", "success")
    return redirect(url_for("letters.index", slug=slug))


@bp.route("/events/<slug>/letters/<kind>.<fmt>")
@staff_required
def batch(slug: str, kind: str, fmt: str):
    """Every letter of a kind in one file, one letter a page."""
    event, letter_kind = event_for_staff(slug), _kind(kind)
    body = service.render(event, letter_kind, service.recipients(event, letter_kind))
    return document_response(body, fmt, f"{event.slug}-{letter_kind.file_stem}s")


@bp.route("/events/<slug>/letters/<kind>/<int:registration_id>.<fmt>")
@staff_required
def single(slug: str, kind: str, registration_id: int, fmt: str):
    event, letter_kind = event_for_staff(slug), _kind(kind)
    try:
        registration = service.recipient(event, letter_kind, registration_id)
    except NotFound:
        abort(404)
    return document_response(service.render(event, letter_kind, [registration]), fmt,
                 f"{event.slug}-{letter_kind.file_stem}-{registration_id}")


@bp.route("/events/<slug>/letters/<kind>/mail", methods=["POST"])
@staff_required
def mail(slug: str, kind: str):
    """Queue the letters (one, or all of the kind) as PDF attachments in the outbox."""
    event, letter_kind = event_for_staff(slug), _kind(kind)
    chosen = request.form.get("registration_id", type=int)
    registrations = service.recipients(event, letter_kind)
    if chosen is not None:
        registrations = [r for r in registrations if r.id == chosen]
    if not registrations:
        flash(f"Nobody to send a {letter_kind.label.lower()} to.", "info")
        return redirect(url_for("letters.index", slug=slug))
    count = service.queue_letters(event, letter_kind, registrations)
    db.session.commit()
    noun = letter_kind.label.lower() if count == 1 else letter_kind.plural
    flash(f"{count} {noun} queued in the outbox.", "success")
    return redirect(url_for("letters.index", slug=slug))
