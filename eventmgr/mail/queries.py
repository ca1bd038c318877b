"""What the Mail tab shows of the outbox, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select

from eventmgr.extensions import db
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message


@dataclass(frozen=True)
class OutboxFigures:
    queued: int  # not sent yet: due now, claimed by a sender, or waiting for a retry
    waiting: int  # of those, waiting for their next attempt
    sent: int
    failed: int


def outbox_figures(scope: ColumnElement[bool] | None, now: dt.datetime) -> OutboxFigures:
    """Counts of the messages in `scope` (a condition on Message; None: all) by status, in one query."""
    query = (select(Message.status, func.count(),
                    func.sum(case((Message.next_attempt_at > now, 1), else_=0)))
             .group_by(Message.status))
    if scope is not None:
        query = query.where(scope)
    counts = {status: (count, later or 0) for status, count, later in db.session.execute(query)}
    queued, waiting = counts.get(MessageStatus.QUEUED, (0, 0))
    return OutboxFigures(queued=queued, waiting=waiting, sent=counts.get(MessageStatus.SENT, (0, 0))[0],
                         failed=counts.get(MessageStatus.FAILED, (0, 0))[0])
