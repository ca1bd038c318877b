"""Participant accounts: created on confirmation, passwords set and reset through emailed links."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from sqlalchemy import select

from eventmgr.auth import service, sessions
from eventmgr.auth.enums import Role, TokenPurpose
from eventmgr.auth.models import AccountToken, User
from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.extensions import db
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.links import external_url
from eventmgr.mail.service import queue_message
from eventmgr.registry.models import Person
from eventmgr.sqltypes import utcnow

# A first password may be set days after the confirmation mail; a reset link is short-lived.
TOKEN_LIFETIME = {
    TokenPurpose.SET_PASSWORD: dt.timedelta(days=14),
    TokenPurpose.RESET_PASSWORD: dt.timedelta(hours=2),
}


def _issue_link(user: User, purpose: TokenPurpose) -> str:
    token, token_hash = new_token()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=token_hash,
                                expires_at=utcnow() + TOKEN_LIFETIME[purpose]))
    db.session.flush()
    return external_url("auth.set_password", token=token)


def new_participant_account(person: Person) -> User | None:
    """A participant account (without a password) for the person, made now; None if one exists.

    Never links the person to an account that already exists for the address (a staff account
    made beforehand, say): anyone can type any address into a form, so whoever holds an account
    reaches it through its own address only, with "Forgot your password?".
    """
    if person.id is None:
        db.session.flush()  # a person added in this transaction: the account names their id
    if db.session.scalar(select(User.id).where(User.person_id == person.id)) is not None:
        return None
    if service.get_user_by_email(person.email) is not None:
        return None
    return service.create_user(person.email, role=Role.PARTICIPANT, person_id=person.id)


def set_password_link(person: Person) -> str | None:
    """A set-password link for a participant account made now for the person, else None.

    The link goes into the registration mail that confirms the seat, so confirming sends one
    message, not two; it names the account's stored address, which is the person's. An
    existing account gets no link here: its owner resets the password from its own address.
    """
    user = new_participant_account(person)
    if user is None:
        return None
    return _issue_link(user, TokenPurpose.SET_PASSWORD)


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this email; silently nothing otherwise."""
    user = service.get_user_by_email(email)
    if user is None or not user.active:
        return
    link = _issue_link(user, TokenPurpose.RESET_PASSWORD)
    body = render_template("emails/account_reset_password.txt", link=link,
                           name=user.person.display_name if user.person is not None else user.email,
                           valid_for=TOKEN_LIFETIME[TokenPurpose.RESET_PASSWORD])
    # Only ever to the address stored on the account, never to the one typed in the form.
    queue_message(kind="account_reset_password", recipient=user.email,
                  subject="Reset your password", body_text=body)


def valid_token(token: str) -> AccountToken | None:
    """The unused, unexpired token row for this link, else None."""
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == hash_token(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def change_password(user: User, current: str, new: str, *, keep_session: int | None) -> None:
    """Change a known password; every other session of the account ends (ASVS 7.4.3)."""
    if not user.password_hash or not service.check_password(user, current):
        raise DomainError("This is not your current password.", field="current")
    service.set_password(user, new)
    sessions.end_sessions(user, keep=keep_session)
    db.session.flush()


def set_password_with_token(row: AccountToken, password: str) -> User:
    """Set the password, spend every open link of the account, not only this one, and end
    every session of the account: whoever knew the old password is signed out."""
    service.set_password(row.user, password)
    sessions.end_sessions(row.user)
    now = utcnow()
    for other in db.session.scalars(select(AccountToken).where(
            AccountToken.user_id == row.user_id, AccountToken.used_at.is_(None))):
        other.used_at = now
    db.session.flush()
    return row.user


PROFILE_FIELDS = ("honorific", "given_name", "family_name", "position", "country")


def update_profile(person: Person, **fields: str | None) -> Person:
    """Change the person's own details; registrations keep the organization and state they had."""
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(person, name, fields[name] if name == "country" else (fields[name] or "").strip())
    if not person.given_name or not person.family_name:
        raise ValidationFailed({name: ["Enter a name."] for name in ("given_name", "family_name")
                                if not getattr(person, name)})
    db.session.flush()
    return person
