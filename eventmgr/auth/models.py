from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.auth.enums import Role, TokenPurpose
from eventmgr.extensions import db
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.registry.models import Person
    from eventmgr.series.models import Series


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised (trimmed, NFKC, case-folded): see registry.service.normalize_email.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column_type(Role), default=Role.PARTICIPANT)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    person: Mapped[Person | None] = relationship()
    grants: Mapped[list[SeriesGrant]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The id of the server-side session this object was loaded through (see auth/sessions.py):
    # what Flask-Login keeps in the cookie, instead of the user's id.
    session_token = None
    session_id = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        """An organizer's (or admin's) account: what kind of account, not which series it runs."""
        return self.role in (Role.ADMIN, Role.ORGANIZER)

    def has_role(self, *roles: Role) -> bool:
        return self.role is Role.ADMIN or self.role in roles

    def series_role(self, series_id: int) -> Role | None:
        """The role granted in this series (admins hold every series as organizers)."""
        if self.role is Role.ADMIN:
            return Role.ORGANIZER
        return next((grant.role for grant in self.grants if grant.series_id == series_id), None)

    def may(self, series_id: int, *roles: Role) -> bool:
        """Holds one of `roles` in the series; an organizer's grant includes a rapporteur's rights."""
        granted = self.series_role(series_id)
        return granted is not None and (granted in roles or (
            granted is Role.ORGANIZER and Role.RAPPORTEUR in roles))

    def manages(self, series_id: int) -> bool:
        return self.may(series_id, Role.ORGANIZER)

    def writes(self, series_id: int) -> bool:
        """Rapporteur's rights: notes, findings, recommendations and the report drafts."""
        return self.may(series_id, Role.RAPPORTEUR)

    @property
    def granted_series_ids(self) -> set[int] | None:
        """The series this account works on; None for admins (all of them)."""
        return None if self.role is Role.ADMIN else {grant.series_id for grant in self.grants}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AccountToken(db.Model):
    """A single-use, expiring link to set or reset a password; only its hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column_type(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """One signed-in browser: the cookie holds a random id whose hash is stored here, so
    deleting the row ends the session wherever the cookie was copied to."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class AuthThrottle(db.Model):
    """Attempts counted in the database (failed sign-ins, reset requests), per account and
    per client address, so every worker and host behind the load balancer shares the count."""

    __tablename__ = "auth_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[dt.datetime]
    last_at: Mapped[dt.datetime]


class SeriesGrant(db.Model):
    """Organizer or rapporteur rights in one series. The account's own role says what kind of
    account it is; this says where it may use it."""

    __tablename__ = "series_grant"
    __table_args__ = (UniqueConstraint("user_id", "series_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column_type(Role))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    series: Mapped[Series] = relationship()
