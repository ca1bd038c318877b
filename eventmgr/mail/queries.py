"""What the Mail tab shows of the outbox, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select

from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message


@dataclass(frozen=True)
class OutboxFigures:
    queued: int  # not sent yet: due now, claimed by a sender, waiting for a retry, or held
    waiting: int  # of those, waiting for their next attempt after a failed one
    held: int  # of those, not tried yet and held for the time to undo them (eventmgr/undo.py)
    sent: int
    failed: int

    @property
    def sendable(self) -> int:
        """The queued messages "send now" makes due: all but those held to be undone."""
        return self.queued - self.held


def outbox_figures(scope: ColumnElement[bool] | None, now: dt.datetime) -> OutboxFigures:
    """Counts of the messages in `scope` (a condition on Message; None: all) by status, in one query."""
    later = Message.next_attempt_at > now
    query = (select(Message.status, func.count(),
                    func.sum(case((and_(later, Message.attempts > 0), 1), else_=0)),
                    func.sum(case((and_(later, Message.attempts == 0), 1), else_=0)))
             .group_by(Message.status))
    if scope is not None:
        query = query.where(scope)
    counts = {status: (count, waiting or 0, held or 0)
              for status, count, waiting, held in db.session.execute(query)}
    queued, waiting, held = counts.get(MessageStatus.QUEUED, (0, 0, 0))
    return OutboxFigures(queued=queued, waiting=waiting, held=held,
                         sent=counts.get(MessageStatus.SENT, (0,))[0],
                         failed=counts.get(MessageStatus.FAILED, (0,))[0])
