"""Accounts: creation, authentication, roles."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from eventmgr.auth.enums import Role
from eventmgr.auth.models import SeriesGrant, User
from eventmgr.errors import Conflict, DomainError
from eventmgr.extensions import db
from eventmgr.normalize import normalize_email
from eventmgr.sqltypes import utcnow

MIN_PASSWORD_LENGTH = 10

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH: dict[str, str] = {}


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    if method:
        return generate_password_hash(password, method=method)
    return generate_password_hash(password)  # werkzeug's default: scrypt


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email: str, *, role: Role, password: str | None = None,
                person_id: int | None = None) -> User:
    """Create an account; without a password it cannot log in until one is set."""
    key = normalize_email(email)
    if not key or "@" not in key:
        raise DomainError("Enter a valid email address.", field="email")
    if get_user_by_email(key) is not None:
        raise Conflict(f"An account for {key} already exists.", field="email")
    user = User(email=key, role=role, person_id=person_id)
    if password is not None:
        check_password_strength(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = hash_password(password)


def check_password(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def set_role(user: User, role: Role) -> None:
    """Change the kind of account; series rights it can no longer hold go."""
    user.role = role
    for grant in list(user.grants):
        if not _may_hold(user, grant.role):
            user.grants.remove(grant)


def _may_hold(user: User, role: Role) -> bool:
    return user.role is Role.ADMIN or user.role is role or (
        user.role is Role.ORGANIZER and role is Role.RAPPORTEUR)


def grant_series_role(user: User, series_id: int, role: Role) -> SeriesGrant | None:
    """Give the account organizer or rapporteur rights in a series (replacing the one it had).

    Admins hold every series already; an organizer account may be a series' organizer or
    rapporteur, a rapporteur account its rapporteur; participants hold no series.
    """
    if role not in (Role.ORGANIZER, Role.RAPPORTEUR):
        raise DomainError("A series is given to an organizer or a rapporteur.", field="role")
    if user.role is Role.ADMIN:
        return None
    if not _may_hold(user, role):
        raise DomainError(f"A {user.role.label.lower()} account cannot be a series' {role.label.lower()}: "
                          "change the account's role first.", field="role")
    grant = next((g for g in user.grants if g.series_id == series_id), None)
    if grant is None:
        grant = SeriesGrant(series_id=series_id, role=role)
        user.grants.append(grant)
    grant.role = role
    db.session.flush()
    return grant


def revoke_series_role(user: User, grant_id: int) -> None:
    for grant in list(user.grants):
        if grant.id == grant_id:
            user.grants.remove(grant)
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The user if the email and password match an active account, else None."""
    user = get_user_by_email(email)
    if user is None or not user.password_hash:
        if "hash" not in _DUMMY_HASH:
            _DUMMY_HASH["hash"] = hash_password("not-a-real-password")
        check_password_hash(_DUMMY_HASH["hash"], password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user
