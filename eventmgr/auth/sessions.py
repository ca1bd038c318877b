"""Server-side sessions: a row per signed-in browser, the cookie holding only its random id.

Flask-Login keeps working on top: `User.get_id()` is the session's token, and the user
loader finds the user through the session row, so logging out, a password reset or an
admin's "end sessions" takes effect on every copy of the cookie at once.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from eventmgr.auth.models import User, UserSession
from eventmgr.extensions import db
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.sqltypes import utcnow

# Writing "last seen" on every request would make each page a write: once a minute is enough.
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def _age_limit() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start_session(user: User, *, user_agent: str = "", ip_address: str = "") -> UserSession:
    """A new session for `user`; its token is set on the user for Flask-Login's login_user()."""
    token, token_hash = new_token()
    now = utcnow()
    # Ended by time already: tidy them away while we are here.
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        (UserSession.last_seen_at < now - _idle_limit()) | (UserSession.created_at < now - _age_limit())))
    row = UserSession(token_hash=token_hash, user_id=user.id, created_at=now, last_seen_at=now,
                      user_agent=(user_agent or "")[:300], ip_address=(ip_address or "")[:64])
    db.session.add(row)
    db.session.flush()
    user.session_token, user.session_id = token, row.id
    return row


def load_session_user(token: str) -> User | None:
    """The active user of a live session, or None (unknown, ended, idle or too old)."""
    # The user and the series rights come in the same query: every staff check reads them.
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token))
                            .options(joinedload(UserSession.user).joinedload(User.grants)))
    if row is None:
        return None
    now = utcnow()
    if (row.last_seen_at < now - _idle_limit() or row.created_at < now - _age_limit()
            or not row.user.active):
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        _touch(row.id, now)
    user = row.user
    user.session_token, user.session_id = token, row.id
    return user


def _touch(session_id: int, now: dt.datetime) -> None:
    """Record activity in its own short transaction, apart from the request's work."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(UserSession).where(UserSession.id == session_id)
                               .values(last_seen_at=now))
    except OperationalError:  # a busy database: last-seen can wait for the next request
        current_app.logger.info("last-seen of session %s not recorded: database busy", session_id)


def active_sessions(user: User) -> list[UserSession]:
    now = utcnow()
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.last_seen_at >= now - _idle_limit(),
                                  UserSession.created_at >= now - _age_limit())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end_session(session_id: int, *, user: User) -> None:
    """End one session of `user` (a session of someone else is left alone)."""
    db.session.execute(delete(UserSession).where(UserSession.id == session_id,
                                                 UserSession.user_id == user.id))


def end_sessions(user: User, *, keep: int | None = None) -> int:
    """End every session of `user`, but `keep` if given; returns how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    return db.session.execute(statement).rowcount
