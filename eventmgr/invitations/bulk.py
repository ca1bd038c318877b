"""Mass actions on the invitee list, each first counted, then done, and undoable for a while.

An action applies to the invitations ticked or to all those a filter matches. `plan`
says how many it will change and why the others are skipped, for the confirmation
page; the action itself changes only those. Removals keep the rows (their links stop
working) so they can be restored; mailings wait `undo window` before the outbox sends
them, and until then `undo_sending` takes them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.held import release
from eventmgr.invitations.models import Invitation
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.sqltypes import utcnow
from eventmgr.templating import counted

ACTIONS = ("send", "remind", "revoke", "remove", "restore")


@dataclass(frozen=True)
class Plan:
    """What an action will do to the invitations chosen."""

    action: str
    affected: list[Invitation]
    skipped: int
    skip_reason: str

    @property
    def question(self) -> str:
        n = len(self.affected)
        return {
            "send": f"Send {counted(n, 'invitation')}?",
            "remind": f"Send {counted(n, 'reminder')}?",
            "revoke": f"Revoke {counted(n, 'link')}?",
            "remove": f"Remove {counted(n, 'invitation')} from the list?",
            "restore": f"Put {counted(n, 'invitation')} back on the list?",
        }[self.action]

    @property
    def confirm_label(self) -> str:
        return self.question.rstrip("?")


def _will_change(action: str, invitation: Invitation) -> bool:
    on_list = invitation.removed_at is None
    if action == "send":
        return on_list and invitation.status is InvitationStatus.DRAFT
    if action == "remind":
        return on_list and invitation.status is InvitationStatus.SENT and invitation.sent_at is not None
    if action == "revoke":
        return on_list and invitation.token_hash is not None and invitation.token_revoked_at is None
    if action == "remove":
        return on_list and invitation.status is not InvitationStatus.REGISTERED
    return not on_list


SKIP_REASONS = {
    "send": "sent already",
    "remind": "answered already, or not sent yet",
    "revoke": "without a working link",
    "remove": "registered: cancel the registration first",
    "restore": "on the list already",
}


def plan(action: str, invitations: Sequence[Invitation]) -> Plan:
    """The invitations `action` would change among those chosen, and how many it skips."""
    if action not in ACTIONS:
        raise DomainError(f"Unknown action “{action}”.")
    affected = [invitation for invitation in invitations if _will_change(action, invitation)]
    return Plan(action, affected, len(invitations) - len(affected), SKIP_REASONS[action])


def revoke_links(invitations: Sequence[Invitation]) -> list[Invitation]:
    """Stop the links of these invitations from working (a new link can be sent later)."""
    revoked = plan("revoke", invitations).affected
    now = utcnow()
    for invitation in revoked:
        invitation.token_revoked_at = now
    db.session.flush()
    return revoked


def remove(invitations: Sequence[Invitation]) -> list[Invitation]:
    """Take invitations off the list, all at one moment (so they can be restored together).

    Their links stop working and held acceptances are dropped; registered invitees stay.
    """
    removed = plan("remove", invitations).affected
    now = utcnow()
    for invitation in removed:
        invitation.removed_at = now
        release(invitation)
    db.session.flush()
    return removed


def removed_at(event_id: int, moment: dt.datetime) -> list[Invitation]:
    """The invitations removed together at `moment` (one removal, to undo)."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.event_id == event_id, Invitation.removed_at == moment)))


def restore(invitations: Sequence[Invitation]) -> list[Invitation]:
    """Put removed invitations back on the list as they were; their links work again."""
    restored = plan("restore", invitations).affected
    for invitation in restored:
        invitation.removed_at = None
    db.session.flush()
    return restored


@dataclass(frozen=True)
class Withdrawal:
    withdrawn: int
    # Already handed to the mail server: those invitations stay sent.
    gone_out: int


def undo_sending(event_id: int, sent_at: dt.datetime) -> Withdrawal:
    """Take back the invitation mails queued together at `sent_at` that have not gone out.

    A mail no sender has claimed yet (still queued, never attempted) is deleted and its
    invitation is "not sent" again, without a link; the others have gone out and stay.
    """
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.event_id == event_id, Invitation.sent_at == sent_at,
        Invitation.status == InvitationStatus.SENT)).all()
    by_address = {invitation.person.email: invitation for invitation in invitations}
    if not by_address:
        return Withdrawal(0, 0)
    withdrawn = set(db.session.scalars(
        delete(Message).where(Message.event_id == event_id, Message.kind == "invitation",
                              Message.created_at == sent_at, Message.recipient.in_(by_address),
                              Message.status == MessageStatus.QUEUED, Message.attempts == 0)
        .returning(Message.recipient)))
    for address in withdrawn:
        invitation = by_address[address]
        invitation.status, invitation.sent_at = InvitationStatus.DRAFT, None
        invitation.token_hash, invitation.token_revoked_at = None, None
    db.session.flush()
    return Withdrawal(len(withdrawn), len(by_address) - len(withdrawn))
