"""Participant accounts: made on confirmation, passwords set and reset through single-use links."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.auth.models import AccountToken, User
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry import registration
from eventmgr.registry.enums import RegistrationStatus
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person

OPEN = EventStatus.REGISTRATION_OPEN


def _link_path(body: str) -> str:
    line = next(line for line in body.splitlines() if "/auth/set-password/" in line)
    return line[line.index("/auth/"):]


def test_a_confirmed_registration_mails_a_set_password_link_that_works_once(client, app_ctx):
    person = make_person("ada@example.org")
    registration.register_participant(make_event(status=OPEN), person=person)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.person_id == person.id))
    assert (user.email, user.role, user.password_hash) == ("ada@example.org", Role.PARTICIPANT, None)
    [message] = db.session.scalars(select(Message)).all()
    path = _link_path(message.body_text)

    response = client.post(path, data={"password": "a-long-password", "confirm": "a-long-password"})
    # Setting the password signs the person in.
    assert (response.status_code, response.location) == (302, "/auth/profile")
    assert "ada@example.org" in client.get("/auth/profile").text
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"email": "ada@example.org",
                                            "password": "a-long-password"}).status_code == 302
    assert client.get(path).status_code == 404


def test_no_account_mail_without_notification_and_none_for_the_waiting_list(app_ctx, users):
    organizer = db.session.get(User, users[Role.ORGANIZER])
    event = make_event(status=OPEN, capacity=1)
    quiet = make_person()
    registration.register_participant(event, person=quiet, actor=organizer, notify=False)
    waiting = registration.register_participant(event, person=make_person())
    db.session.commit()
    assert waiting.status is RegistrationStatus.WAITLISTED
    assert db.session.scalar(select(func.count()).select_from(AccountToken)) == 0
    assert db.session.scalar(select(func.count()).where(User.person_id == waiting.person_id)) == 0


def test_an_expired_or_unknown_link_is_a_404(client, app_ctx):
    person = make_person()
    registration.register_participant(make_event(status=OPEN), person=person)
    db.session.commit()
    path = _link_path(db.session.scalar(select(Message.body_text)))
    token = db.session.scalar(select(AccountToken))
    token.expires_at = token.created_at - dt.timedelta(seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert client.get("/auth/set-password/bogus").status_code == 404


def test_a_short_password_is_refused_with_the_form(client, app_ctx):
    person = make_person()
    registration.register_participant(make_event(status=OPEN), person=person)
    db.session.commit()
    path = _link_path(db.session.scalar(select(Message.body_text)))
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert b"The password must have between 10 and 200 characters." in response.data
    assert db.session.scalar(select(User.password_hash).where(User.person_id == person.id)) is None


def test_reset_gives_the_same_answer_for_known_and_unknown_emails(client, app_ctx, users):
    known = client.post("/auth/reset", data={"email": "organizer@test.example"})
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert (known.status_code, known.location) == (302, "/auth/login")
    [message] = db.session.scalars(select(Message)).all()
    assert (message.kind, message.recipient) == ("account_reset_password", "organizer@test.example")
    path = _link_path(message.body_text)
    assert client.post(path, data={"password": "another-password", "confirm": "another-password"}
                       ).status_code == 302
    assert client.post("/auth/login", data={"email": "organizer@test.example",
                                            "password": "another-password"}).status_code == 302


def test_profile_changes_the_person_but_not_earlier_registrations(client, app_ctx):
    organization = make_organization("Siemens AG", country="DE")
    person = make_person("ada@example.org", organization=organization)
    registration.register_participant(make_event(status=OPEN), person=person)
    db.session.commit()
    path = _link_path(db.session.scalar(select(Message.body_text)))
    client.post(path, data={"password": "a-long-password", "confirm": "a-long-password"})
    client.post("/auth/login", data={"email": "ada@example.org", "password": "a-long-password"})

    assert b'href="/events/' in client.get("/auth/profile").data
    response = client.post("/auth/profile", data={"honorific": "Dr.", "given_name": "Ada",
                                                  "family_name": "Lovelace", "position": "Director"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (person.display_name, person.position) == ("Dr. Ada Lovelace", "Director")
    assert client.post("/auth/profile", data={"given_name": "", "family_name": ""}).status_code == 400
