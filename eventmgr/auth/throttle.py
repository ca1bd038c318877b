"""Limits on sign-in and reset attempts that hold across workers: counted in the database.

Each attempt is counted *before* the password is checked, in one atomic upsert that returns
the new count, so however many workers race, no more than the limit get a password check
(ASVS 6.3.1). A success forgives the attempt. Past `slow_after` failures each try must wait
longer after the previous one (1 s, 2 s, 4 s … 30 s); past the limit the key is locked until
its window ends, with a message saying until when.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from eventmgr.auth.models import AuthThrottle
from eventmgr.extensions import db
from eventmgr.normalize import normalize_email
from eventmgr.sqltypes import TZDateTime, utcnow

MAX_WAIT_SECONDS = 30


@dataclass(frozen=True)
class Rule:
    key: str
    limit: int
    window: dt.timedelta
    slow_after: int | None = None


@dataclass(frozen=True)
class Refusal(Exception):
    """Too many attempts: the message says what to do and until when."""

    message: str
    retry_after: int


def login_rules(email: str, address: str) -> list[Rule]:
    config = current_app.config
    window = dt.timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    return [Rule(f"login:account:{normalize_email(email)}", config["LOGIN_FAILURES_PER_ACCOUNT"], window,
                 slow_after=config["LOGIN_SLOWDOWN_AFTER"]),
            Rule(f"login:address:{address}", config["LOGIN_FAILURES_PER_ADDRESS"], window)]


def reset_rules(email: str, address: str) -> tuple[Rule, Rule]:
    """(per requesting address, per target address): the second decides whether a mail goes."""
    config = current_app.config
    hour = dt.timedelta(hours=1)
    return (Rule(f"reset:address:{address}", config["RESET_REQUESTS_PER_ADDRESS"], hour),
            Rule(f"reset:account:{normalize_email(email)}", config["RESET_MAILS_PER_ACCOUNT"], hour))


def admit(rules: list[Rule]) -> None:
    """Count one attempt under every rule, or raise Refusal (and count nothing more)."""
    now = utcnow()
    rows = {row.key: row for row in db.session.scalars(
        select(AuthThrottle).where(AuthThrottle.key.in_([rule.key for rule in rules])))}
    for rule in rules:
        row = rows.get(rule.key)
        if row is None or row.window_started_at <= now - rule.window:
            continue
        if row.count >= rule.limit:
            raise _locked(rule, row.window_started_at + rule.window, now)
        if rule.slow_after is not None and row.count >= rule.slow_after:
            wait = min(2 ** (row.count - rule.slow_after), MAX_WAIT_SECONDS)
            ready = row.last_at + dt.timedelta(seconds=wait)
            if ready > now:
                seconds = math.ceil((ready - now).total_seconds())
                raise Refusal(f"Several attempts have failed: wait {seconds} second"
                              f"{'s' if seconds != 1 else ''} before trying again.", seconds)
    counted = []
    for rule in rules:
        count, started = _count(rule, now)
        counted.append(rule)
        if count > rule.limit:
            # Others got there first in the same instant: this one is past the limit.
            for earlier in counted:
                forgive(earlier, entirely=False)
            raise _locked(rule, started + rule.window, now)


def forgive(rule: Rule, *, entirely: bool = True) -> None:
    """A success: the account's count starts again (entirely), or this one attempt is taken back."""
    with db.engine.begin() as connection:
        if entirely:
            connection.execute(delete(AuthThrottle).where(AuthThrottle.key == rule.key))
        else:
            connection.execute(update(AuthThrottle)
                               .where(AuthThrottle.key == rule.key, AuthThrottle.count > 0)
                               .values(count=AuthThrottle.count - 1))


def _locked(rule: Rule, until: dt.datetime, now: dt.datetime) -> Refusal:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    what = "this account" if ":account:" in rule.key else "your network address"
    return Refusal(f"Too many attempts for {what}: it is locked until {until:%H:%M} UTC "
                   f"(in {minutes} minute{'s' if minutes != 1 else ''}). "
                   "If you forgot your password, reset it by email meanwhile.",
                   max(1, math.ceil((until - now).total_seconds())))


def _count(rule: Rule, now: dt.datetime) -> tuple[int, dt.datetime]:
    """Add one to the rule's count (a new window if the last has passed), atomically, in its own
    transaction: it must stay counted whatever the request does next."""
    table = AuthThrottle.__table__
    stamp = literal(now, TZDateTime())
    with db.engine.begin() as connection:
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        expired = table.c.window_started_at <= literal(now - rule.window, TZDateTime())
        statement = insert(table).values(key=rule.key, count=1, window_started_at=now, last_at=now)
        statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((expired, 1), else_=table.c.count + 1),
            "window_started_at": case((expired, stamp), else_=table.c.window_started_at),
            "last_at": stamp,
        }).returning(table.c.count, table.c.window_started_at)
        count, started = connection.execute(statement).one()
    return count, started
