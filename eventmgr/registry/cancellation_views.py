"""Cancelling a registration asks first and can be undone for a while; cancelled ones can be restored.

Organizers cancel from the list (a confirmation page names who and what follows) and
restore from the list of cancelled registrations; participants cancel their own
registration (signed in, or through the link in their messages) and may take it back
while the notice is still in the outbox.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from eventmgr.auth.decorators import login_required, staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.portal.service import can_enter_area
from eventmgr.redirects import next_url
from eventmgr.registry import queries, registration, registration_queries
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.registry.forms import CancelRegistrationForm
from eventmgr.registry.models import Registration
from eventmgr.registry.views import _event_or_404, _registration_of, bp, own_registration
from eventmgr.sqltypes import utcnow
from eventmgr.undo import flash_undo, undo_window, window_text


@bp.route("/events/<slug>/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel_registration(slug: str, registration_id: int):
    """Cancel one registration after saying who, and what follows (the mail, the waiting list)."""
    event = _event_or_404(slug)
    target = _registration_of(event, registration_id)
    back = next_url(url_for("registry.registrations", slug=event.slug))
    if target.status is RegistrationStatus.CANCELLED:
        flash(f"The registration of {target.person.full_name} is cancelled already.", "info")
        return redirect(back)
    form = CancelRegistrationForm()
    if form.validate_on_submit():
        registration.cancel_registration(target, actor=current_user, reason=form.reason.data or "",
                                         hold=undo_window())
        db.session.commit()
        flash_undo(f"Registration of {target.person.full_name} cancelled; the notice goes out in "
                   f"{window_text()} unless you undo it.",
                   url_for("registry.restore_registration", slug=event.slug, registration_id=target.id),
                   {"next": back}, button="Undo: restore the registration")
        return redirect(back)
    waiting = registration_queries.status_counts(event)["waitlisted"]
    return render_template("registry/cancel_confirm.html", event=event, registration=target, form=form,
                           back=back, waiting=waiting), 400 if form.errors else 200


@bp.route("/events/<slug>/registrations/<int:registration_id>/restore", methods=["POST"])
@staff_required
def restore_registration(slug: str, registration_id: int):
    """Restore a cancelled registration: its seat if one is free, else the waiting list."""
    event = _event_or_404(slug)
    target = _registration_of(event, registration_id)
    try:
        registration.restore_registration(target, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Registration of {target.person.full_name} restored: {target.status.label.lower()}.",
              "success")
    return redirect(next_url(url_for("registry.registrations", slug=event.slug)))


def _recently_cancelled(found: Registration | None) -> bool:
    """Cancelled so lately that the participant may still take it back."""
    return (found is not None and found.status is RegistrationStatus.CANCELLED
            and found.status_changed_at > utcnow() - undo_window())


@bp.route("/events/<slug>/my-registration/cancel", methods=["GET", "POST"])
@login_required
def cancel_own(slug: str):
    """A signed-in participant cancels their own registration (and may undo it for a while)."""
    event = _event_or_404(slug, public=True)
    own = own_registration(event)
    if own is None:
        abort(404, description="You have no registration for this event to cancel.")
    if not event.is_ahead:
        flash("The event has taken place: its registrations stay as they are.", "info")
        return redirect(url_for("series.event_page", slug=event.slug))
    form = CancelRegistrationForm()
    if form.validate_on_submit():
        registration.cancel_registration(own, reason=form.reason.data or "", hold=undo_window())
        db.session.commit()
        flash_undo(f"Your registration is cancelled. You can take it back for {window_text()}.",
                   url_for("registry.restore_own", slug=event.slug), {}, button="Undo: keep my registration")
        return redirect(url_for("series.event_page", slug=event.slug))
    return render_template("registry/cancel.html", event=event, registration=own, form=form,
                           area=can_enter_area(current_user, event)), 400 if form.errors else 200


@bp.route("/events/<slug>/my-registration/restore", methods=["POST"])
@login_required
def restore_own(slug: str):
    """Take back one's own cancellation while its notice is still in the outbox."""
    event = _event_or_404(slug, public=True)
    found = queries.registration_of(event, current_user.person_id) if current_user.person_id else None
    return _restore_own(found, url_for("series.event_page", slug=event.slug))


@bp.route("/events/<slug>/cancel/<token>/undo", methods=["POST"])
def undo_cancel_by_link(slug: str, token: str):
    """Take back a cancellation made through the link in one's messages, for a while."""
    event = _event_or_404(slug)
    found = registration.cancelled_for_token(token)
    if found is None or found.event_id != event.id:
        return render_template("registry/cancel_unknown.html", event=event), 404
    return _restore_own(found, url_for("series.event_page", slug=event.slug))


RESTORED = {
    RegistrationStatus.CONFIRMED: "Your registration stands again: your seat is kept.",
    RegistrationStatus.WAITLISTED: "Your registration stands again, but your seat has gone to the next "
                                   "person waiting: you are on the waiting list.",
}


def _restore_own(found: Registration | None, back: str):
    if not _recently_cancelled(found):
        flash("This cancellation can no longer be taken back: register again, or write to the organizers.",
              "error")
        return redirect(back)
    registration.restore_registration(found)
    db.session.commit()
    flash(RESTORED[found.status], "success")
    return redirect(back)
