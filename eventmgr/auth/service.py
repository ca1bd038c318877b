"""Accounts: creation, authentication, roles."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
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
    user.role = role


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
