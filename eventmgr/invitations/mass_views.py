"""Mass actions on the invitee list: counted and confirmed first, then done, with an undo.

Send, remind, revoke links, remove and restore apply to the invitations ticked or to all
a filter matches (bulk.plan counts them for the confirmation page); sending before
registration opens asks whether to open it; a sending and a removal can be taken back.
"""

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from eventmgr.auth.decorators import staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.invitations import bulk, held, queries, service
from eventmgr.invitations.models import Invitation
from eventmgr.invitations.views import _sender, bp
from eventmgr.series.models import Event
from eventmgr.series.views import event_for_staff
from eventmgr.templating import counted, local_time
from eventmgr.undo import flash_undo, moment_field, moment_from, undo_window, window_text


@dataclass
class Selection:
    """The invitations a mass action applies to: those ticked, or all a filter matches."""

    invitations: list[Invitation]
    scope: str  # "selected" or "filter"
    ids: list[int]
    filters: queries.InvitationFilter


def _selection(event: Event) -> Selection | None:
    form = request.form
    filters = queries.InvitationFilter.from_args(form)
    if form.get("scope") == "filter":
        return Selection(queries.invitation_list(event.id, filters), "filter", [], filters)
    ids = [int(value) for value in form.getlist("invitation_id") if value.isdigit()]
    if not ids:
        return None
    chosen = db.session.scalars(select(Invitation).where(Invitation.event_id == event.id,
                                                         Invitation.id.in_(ids))).all()
    return Selection(list(chosen), "selected", ids, filters)


def _back_to_list(event: Event, filters: queries.InvitationFilter | None = None):
    args = filters.as_args() if filters else {}
    return redirect(url_for("invitations.dashboard", slug=event.slug, **args, _anchor="invitees"))


NOTHING_TO_DO = {
    "send": "Nothing to send: every invitation chosen has gone out already.",
    "remind": "No reminder to send: everyone chosen has answered, or was not sent an invitation yet.",
    "revoke": "No link to revoke among the invitations chosen.",
    "remove": "Nothing to remove: the invitations chosen are registered, or removed already.",
    "restore": "Nothing to restore: the invitations chosen are on the list.",
}


def _mass_action(event: Event, action: str):
    """Count what `action` would do and ask; do it once confirmed, with an undo where it can be undone."""
    selection = _selection(event)
    if selection is None:
        flash("Tick the invitations to act on, or choose “all that match”.", "error")
        return _back_to_list(event, queries.InvitationFilter.from_args(request.form))
    plan = bulk.plan(action, selection.invitations)
    if not plan.affected:
        flash(NOTHING_TO_DO[action], "info")
        return _back_to_list(event, selection.filters)
    mails = action in ("send", "remind")
    if mails and not held.may_send(event):
        flash(f"The event is {event.status.label.lower()}: invitations and reminders can no longer be sent.",
              "error")
        return _back_to_list(event, selection.filters)
    if request.form.get("confirmed") != "yes":
        return render_template("invitations/confirm.html", event=event, plan=plan, selection=selection,
                               mails=mails, registration_open=held.registration_is_open(event),
                               undo_window=window_text())
    opened = None
    if mails and request.form.get("open_registration") == "yes":
        try:
            opened = held.open_registration(event)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return _back_to_list(event, selection.filters)
    _do(event, action, plan)
    db.session.commit()
    if opened is not None:
        flash(f"Registration is open; {counted(len(opened.registered), 'waiting invitee')} registered.",
              "success")
    return _back_to_list(event, selection.filters)


def _do(event: Event, action: str, plan: bulk.Plan) -> None:
    """Carry out a confirmed plan and say what happened (with an undo button where it applies)."""
    hold = undo_window()
    if action == "send":
        sent = service.send_invitations(event, plan.affected, sender=_sender(), hold=hold)
        moment = sent[0].sent_at
        flash_undo(f"{counted(len(sent), 'invitation')} queued. They go out from "
                   f"{local_time(moment + hold, event.timezone)} ({event.timezone}); until then you can "
                   "take them back.", url_for("invitations.undo_send", slug=event.slug),
                   {"sent_at": moment_field(moment)}, button="Undo: do not send them")
    elif action == "remind":
        reminded = service.remind(event, plan.affected, sender=_sender(), hold=hold)
        flash(f"{counted(len(reminded), 'reminder')} queued.", "success")
    elif action == "revoke":
        revoked = bulk.revoke_links(plan.affected)
        flash(f"{counted(len(revoked), 'link')} revoked: they no longer work. “Send new link” on a row "
              "lets someone answer again.", "success")
    elif action == "remove":
        removed = bulk.remove(plan.affected)
        flash_undo(f"{counted(len(removed), 'invitation')} removed from the list; their links no longer "
                   "work.", url_for("invitations.undo_remove", slug=event.slug),
                   {"removed_at": moment_field(removed[0].removed_at)}, button="Undo: put them back")
    else:
        restored = bulk.restore(plan.affected)
        flash(f"{counted(len(restored), 'invitation')} back on the list, as they were.", "success")


@bp.route("/events/<slug>/invitations/send", methods=["POST"])
@staff_required
def send(slug: str):
    """Send the invitations chosen (not yet sent), after a confirmation with their number."""
    return _mass_action(event_for_staff(slug), "send")


@bp.route("/events/<slug>/invitations/remind", methods=["POST"])
@staff_required
def remind(slug: str):
    """Remind those chosen who have not answered, after a confirmation with their number."""
    return _mass_action(event_for_staff(slug), "remind")


@bp.route("/events/<slug>/invitations/revoke-links", methods=["POST"])
@staff_required
def revoke_links(slug: str):
    """Revoke the links of the invitations chosen."""
    return _mass_action(event_for_staff(slug), "revoke")


@bp.route("/events/<slug>/invitations/remove", methods=["POST"])
@staff_required
def remove(slug: str):
    """Take the invitations chosen off the list (registered invitees stay)."""
    return _mass_action(event_for_staff(slug), "remove")


@bp.route("/events/<slug>/invitations/restore", methods=["POST"])
@staff_required
def restore(slug: str):
    """Put removed invitations back on the list."""
    return _mass_action(event_for_staff(slug), "restore")


@bp.route("/events/<slug>/invitations/undo-send", methods=["POST"])
@staff_required
def undo_send(slug: str):
    """Take back a sending whose mails have not gone out yet."""
    event = event_for_staff(slug)
    withdrawal = bulk.undo_sending(event.id, moment_from(request.form.get("sent_at")))
    db.session.commit()
    if withdrawal.withdrawn:
        gone = f" {counted(withdrawal.gone_out, 'mail')} had gone out already." if withdrawal.gone_out else ""
        flash(f"{counted(withdrawal.withdrawn, 'invitation')} taken back: not sent.{gone}", "success")
    else:
        flash("Too late to take them back: the mails have gone out.", "error")
    return _back_to_list(event)


@bp.route("/events/<slug>/invitations/undo-remove", methods=["POST"])
@staff_required
def undo_remove(slug: str):
    """Put back the invitations of one removal."""
    event = event_for_staff(slug)
    restored = bulk.restore(bulk.removed_at(event.id, moment_from(request.form.get("removed_at"))))
    db.session.commit()
    flash(f"{counted(len(restored), 'invitation')} back on the list, as they were.", "success")
    return _back_to_list(event)
