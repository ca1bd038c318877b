"""Nobody registers for someone else: a known address is only asked to confirm, public listing
waits for the person's own confirmation, the answer is the same whatever the address's state,
and free text never becomes a link in the mails the instance sends."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.registry.enums import ListVisibility, RegistrationStatus
from eventmgr.registry.models import ParticipantListSetting, Person, Registration
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant

OPEN = EventStatus.REGISTRATION_OPEN
FORM = {"given_name": "Eve", "family_name": "Mallory", "organization_name": "Impostors Ltd",
        "organization_kind": "company", "organization_country": "DE", "consent_to_list": "y",
        "dietary_needs": "None"}


def _register(client, slug, email, **extra):
    return client.post(f"/events/{slug}/register", data=FORM | {"email": email} | extra)


def _messages_to(address):
    return db.session.scalars(select(Message).where(Message.recipient == address)).all()


def _link(body, marker):
    url = next(word for word in body.split() if marker in word)
    return url.split("localhost", 1)[1]


def test_registering_a_known_person_changes_nothing_until_they_confirm(client, app_ctx):
    event = make_event(status=OPEN)
    known = make_person("dana@example.org", given_name="Dana", family_name="Known",
                        organization=make_organization("Real Org"))

    response = _register(client, event.slug, "Dana@Example.org")

    assert response.status_code == 302 and response.location == f"/events/{event.slug}/register/done"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    person = db.session.get(Person, known.id)
    assert (person.given_name, person.family_name, person.consent_to_list, person.organization.name) == (
        "Dana", "Known", False, "Real Org")
    [message] = _messages_to("dana@example.org")
    assert "perhaps you" in message.body_text and "Eve Mallory" in message.body_text
    assert "/auth/set-password/" not in message.body_text


def test_the_known_person_confirms_with_a_button_not_by_opening_the_link(client, app_ctx):
    event = make_event(status=OPEN)
    make_person("dana@example.org")
    _register(client, event.slug, "dana@example.org")
    path = _link(_messages_to("dana@example.org")[0].body_text, "/register/confirm/")

    page = client.get(path)  # a link scanner opening it confirms nothing
    assert page.status_code == 200 and "Confirm the registration" in page.text
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0

    done = client.post(path)

    assert done.status_code == 200 and "You are registered" in done.text
    registration = db.session.scalar(select(Registration))
    assert (registration.status, registration.dietary_needs, registration.consent_to_list) == (
        RegistrationStatus.CONFIRMED, "None", True)
    assert client.post(path).status_code == 404  # once only


def test_the_answer_is_the_same_whatever_the_address_state(client, app_ctx):
    event = make_event(status=OPEN, capacity=1)
    record_participant(event, None, person=make_person("seated@example.org"))
    waiting = make_person("waiting@example.org")
    record_participant(event, None, person=waiting, status=RegistrationStatus.WAITLISTED)

    answers = [_register(client, event.slug, email) for email in (
        "new@example.org", "seated@example.org", "waiting@example.org", "another-new@example.org")]

    # One answer, which carries nothing of the outcome: what happened is in the mail to the address.
    assert {(a.status_code, a.location, a.text) for a in answers} == {
        (302, f"/events/{event.slug}/register/done", answers[0].text)}
    assert "Check your inbox" in client.get(answers[0].location).text


def test_public_listing_waits_for_the_persons_own_confirmation(client, app_ctx):
    event = make_event(status=OPEN)
    db.session.add(ParticipantListSetting(event_id=event.id, visibility=ListVisibility.PERSONS))
    db.session.commit()

    _register(client, event.slug, "victim@example.org", family_name="Listed-Without-Asking")

    registration = db.session.scalar(select(Registration))
    assert (registration.consent_to_list, registration.person.consent_to_list) == (False, False)
    assert "Listed-Without-Asking" not in client.get(f"/events/{event.slug}/participant-list").text
    [message] = _messages_to("victim@example.org")
    path = _link(message.body_text, "/register/confirm/")
    assert "Only you can agree" in message.body_text

    assert "Yes, list me" in client.get(path).text
    client.post(path)

    db.session.expire_all()
    registration = db.session.scalar(select(Registration))
    assert (registration.consent_to_list, registration.person.consent_to_list) == (True, True)
    assert "Listed-Without-Asking" in client.get(f"/events/{event.slug}/participant-list").text


def test_names_and_free_text_never_become_links_in_the_mail(client, app_ctx):
    event = make_event(status=OPEN)

    _register(client, event.slug, "target@example.org", given_name="Visit https://evil.example/login",
              family_name="or www.evil.example", dietary_needs="write to boss@evil.example",
              organization_name="evil.example")

    [message] = _messages_to("target@example.org")
    body = message.body_text
    assert "evil[.]example" in body
    assert not re.search(r"https?://evil|www\.evil|evil\.example|@evil", body)


def test_an_expired_or_unknown_confirmation_link_is_refused(client, app_ctx):
    event = make_event(status=OPEN)

    response = client.get(f"/events/{event.slug}/register/confirm/not-a-token")

    assert response.status_code == 404 and "not valid" in response.text
