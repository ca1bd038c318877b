"""Identity that cannot be borrowed: one documented address form, and no self-registration or
import that links to, changes or sends a link for an existing account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventmgr.auth import service
from eventmgr.auth.enums import Role
from eventmgr.auth.models import AccountToken, User
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.normalize import normalize_email
from eventmgr.series.enums import EventStatus
from tests.builders import make_event

BOSS = "boss@glass-works.org"


@pytest.mark.parametrize(("typed", "same"), [
    ("Boss@Glass-Works.ORG", True),
    ("  boss@glass-works.org\t", True),
    ("boss@GLASS-works.org", True),
    ("boss@ｇｌａｓｓ-works.org", True),  # full-width domain: IDNA maps it, DNS knows one domain
    ("boss@glaß-works.org", False),  # ß is its own letter in IDNA 2008: another domain
    ("boſs@glass-works.org", False),  # long s: casefold/NFKC would make it "boss"
    ("ｂｏｓｓ@glass-works.org", False),  # full-width local part
    ("BOSS@glass-works.org".replace("O", "\u041e"), False),  # Cyrillic O
    ("boss@glass-w\u043erks.org", False),  # Cyrillic o in the domain
    ("bo\u212a@glass-works.org", False),  # Kelvin sign, NFKC makes it K
])
def test_addresses_compare_in_one_form_that_never_merges_two_mailboxes(typed, same):
    assert (normalize_email(typed) == BOSS) is same


def test_dotless_i_and_turkish_capital_i_are_other_addresses():
    assert normalize_email("admın@glass-works.org") != normalize_email("admin@glass-works.org")
    assert normalize_email("ADMİN@glass-works.org") != normalize_email("admin@glass-works.org")


def test_idn_domains_compare_in_their_ascii_form():
    assert normalize_email("Anna@Bücher.example") == normalize_email("anna@xn--bcher-kva.example")
    assert normalize_email("anna@bücher.example") == "anna@xn--bcher-kva.example"


def test_nfc_makes_one_address_of_composed_and_decomposed_accents():
    assert normalize_email("jos\u00e9@example.org") == normalize_email("jose\u0301@example.org")


ADMIN = "admin@industry.example"
VARIANTS = [(BOSS, typed) for typed in (
    "boss@glaß-works.org", "boſs@glass-works.org", "ｂｏｓｓ@glass-works.org", "bo\u212a@glass-works.org",
    "boss@ｇｌａｓｓ-works.org", "Boss@Glass-Works.org", BOSS)] + [(ADMIN, typed) for typed in (
    "admın@industry.example", "ADMİN@industry.example", "admin@ındustry.example", "ADMIN@INDUSTRY.EXAMPLE")]


@pytest.mark.parametrize(("account", "typed"), VARIANTS)
def test_registering_a_variant_of_an_account_address_never_reaches_the_account(client, app_ctx, account,
                                                                               typed):
    organizer = service.create_user(account, role=Role.ORGANIZER)  # made by an admin, no password yet
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    db.session.commit()
    organizer_id = organizer.id

    response = client.post(f"/events/{event.slug}/register", data={
        "given_name": "Eve", "family_name": "Mallory", "email": typed, "organization_name": "Evil",
        "organization_kind": "company", "organization_country": "DE"})

    assert response.status_code == 302
    db.session.expire_all()
    boss = db.session.get(User, organizer_id)
    assert (boss.person_id, boss.password_hash, boss.role) == (None, None, Role.ORGANIZER)
    assert db.session.scalars(select(AccountToken).where(AccountToken.user_id == organizer_id)).all() == []
    # Any set-password link sent goes to its own account's stored address.
    for token in db.session.scalars(select(AccountToken)):
        assert token.user.email != account
    for message in db.session.scalars(select(Message)):
        if "/auth/set-password/" in message.body_text:
            assert normalize_email(message.recipient) != account


def test_reset_goes_to_the_stored_address_not_the_typed_one(client, app_ctx):
    service.create_user(BOSS, role=Role.ORGANIZER, password="a long password")
    db.session.commit()

    client.post("/auth/reset", data={"email": " BOSS@Glass-Works.org "})
    client.post("/auth/reset", data={"email": "boss@glaß-works.org"})

    assert db.session.scalars(select(Message.recipient)).all() == [BOSS]
