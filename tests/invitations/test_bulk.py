"""Mass actions on the invitee list: counted and confirmed first, undoable for a while after;
the list paginates, searches and filters, and an action applies to the ticked or to all that match."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import bulk, service
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.mail.sender import send_due_messages
from eventmgr.registry import registration as registry
from eventmgr.series.enums import EventStatus
from eventmgr.sqltypes import utcnow
from tests.builders import make_event, make_person

SENDER = "Team <team@example.org>"
SOON = dt.date.today() + dt.timedelta(days=30)


def _open_event():
    return make_event(status=EventStatus.REGISTRATION_OPEN, start_date=SOON, end_date=SOON)


def _invited(count: int, **person_fields):
    event = _open_event()
    invitations = service.invite_people(event, [make_person(**person_fields) for _ in range(count)])
    db.session.commit()
    return event, invitations


def _messages() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message))


def test_send_all_shows_the_count_first_then_sends_and_can_be_undone(client, auth, app_ctx):
    event, invitations = _invited(3)
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/invitations/send"

    asked = client.post(url, data={"scope": "filter"}).get_data(as_text=True)
    nothing_yet = _messages()
    client.post(url, data={"scope": "filter", "confirmed": "yes"})
    dashboard = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)
    queued = db.session.scalars(sa.select(Message)).all()
    sent_at = invitations[0].sent_at
    undone = client.post(f"/events/{event.slug}/invitations/undo-send", data={"sent_at": sent_at.isoformat()},
                         follow_redirects=True).get_data(as_text=True)

    assert "<h1>Send 3 invitations?</h1>" in asked and nothing_yet == 0
    assert "3 invitations queued." in dashboard and "Undo: do not send them" in dashboard
    assert len(queued) == 3 and all(m.next_attempt_at > utcnow() + dt.timedelta(seconds=60) for m in queued)
    assert "3 invitations taken back: not sent." in undone
    assert _messages() == 0
    assert {(i.status, i.sent_at, i.token_hash) for i in invitations} == {
        (InvitationStatus.DRAFT, None, None)}


def test_undo_leaves_alone_the_mails_that_have_gone_out(app_ctx):
    event, invitations = _invited(2)
    service.send_invitations(event, invitations, sender=SENDER)
    db.session.commit()
    first = db.session.scalars(sa.select(Message).order_by(Message.id)).first()
    first.attempts, first.status = 1, MessageStatus.SENT  # the outbox had sent it

    withdrawal = bulk.undo_sending(event.id, invitations[0].sent_at)

    assert (withdrawal.withdrawn, withdrawal.gone_out) == (1, 1)
    assert sorted(i.status for i in invitations) == [InvitationStatus.DRAFT, InvitationStatus.SENT]


def test_mass_mail_waits_for_the_undo_window_before_the_outbox_sends_it(app_ctx):
    event, invitations = _invited(2)
    service.send_invitations(event, invitations, sender=SENDER, hold=dt.timedelta(minutes=2))
    db.session.commit()

    report = send_due_messages()

    assert report.sent == 0 and _messages() == 2


def test_the_selected_rows_or_all_that_match(client, auth, app_ctx):
    event, invitations = _invited(3)
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/invitations/remove"

    nothing = client.post(url, data={}, follow_redirects=True).get_data(as_text=True)
    one = client.post(url, data={"invitation_id": str(invitations[0].id)}).get_data(as_text=True)
    everyone = client.post(url, data={"scope": "filter"}).get_data(as_text=True)

    assert "Tick the invitations to act on" in nothing
    assert "<h1>Remove 1 invitation from the list?</h1>" in one
    assert "<h1>Remove 3 invitations from the list?</h1>" in everyone


def test_remove_and_undo_the_removal(client, auth, app_ctx):
    event, invitations = _invited(2)
    service.send_invitations(event, sender=SENDER)
    db.session.commit()
    link = db.session.scalars(sa.select(Message.body_text)).first().split("/rsvp/", 1)[1].split()[0]
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/invitations/remove", data={"scope": "filter", "confirmed": "yes"})
    listed = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)
    dead = client.get(f"/rsvp/{link}").status_code
    removed = client.get(f"/events/{event.slug}/invitations?status=removed").get_data(as_text=True)
    client.post(f"/events/{event.slug}/invitations/undo-remove",
                data={"removed_at": invitations[0].removed_at.isoformat()})
    alive = client.get(f"/rsvp/{link}").status_code

    assert "0 invitations match." in listed and "2 invitations removed from the list" in listed
    assert dead == 404 and "2 invitations match." in removed and "Put back on the list" in removed
    assert alive == 200
    assert [(i.removed_at, i.status) for i in invitations] == [(None, InvitationStatus.SENT)] * 2


def test_a_registered_invitee_is_not_removed(app_ctx):
    event, [invitation] = _invited(1)
    service.send_invitations(event, sender=SENDER)
    registry.register_participant(event, person=invitation.person, invitation=invitation)

    plan = bulk.plan("remove", [invitation])

    assert (plan.affected, plan.skipped, plan.skip_reason) == (
        [], 1, "registered: cancel the registration first")


def test_inviting_a_removed_person_again_puts_their_invitation_back(app_ctx):
    event, [invitation] = _invited(1)
    bulk.remove([invitation])

    again = service.invite_people(event, [invitation.person])

    assert again == [invitation] and invitation.removed_at is None


def test_revoke_the_links_of_those_chosen(client, auth, app_ctx):
    event, invitations = _invited(2)
    service.send_invitations(event, invitations[:1], sender=SENDER)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    asked = client.post(f"/events/{event.slug}/invitations/revoke-links",
                        data={"scope": "filter"}).get_data(as_text=True)
    client.post(f"/events/{event.slug}/invitations/revoke-links",
                data={"scope": "filter", "confirmed": "yes"})

    assert "<h1>Revoke 1 link?</h1>" in asked and "1 invitation of those chosen is left as it is" in asked
    assert invitations[0].token_revoked_at is not None and invitations[1].token_revoked_at is None


def test_the_list_searches_filters_and_paginates(client, auth, app_ctx):
    event = _open_event()
    people = [make_person(given_name="Ana", family_name=f"García {n:02d}") for n in range(55)]
    people.append(make_person(given_name="Jörg", family_name="Weiß"))
    invitations = service.invite_people(event, people)
    service.send_invitations(event, invitations[:5], sender=SENDER)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    base = f"/events/{event.slug}/invitations"

    first = client.get(base).get_data(as_text=True)
    second = client.get(f"{base}?page=2").get_data(as_text=True)
    searched = client.get(f"{base}?q=jorg+weiss").get_data(as_text=True)
    sent = client.get(f"{base}?status=sent").get_data(as_text=True)
    everyone_sent = client.post(f"{base}/remind",
                                data={"scope": "filter", "status": "sent"}).get_data(as_text=True)

    assert "56 invitations match" in first and "page 1 of 2" in first and "García 49" in first
    assert "García 50" in second and "García 00" not in second
    assert "1 invitation match." in searched and "Jörg Weiß" in searched
    assert "5 invitations match." in sent
    assert "<h1>Send 5 reminders?</h1>" in everyone_sent


@pytest.mark.parametrize("size", [5, 60])
def test_the_list_runs_a_fixed_number_of_queries_when_searched(client, auth, app_ctx, count_queries, size):
    event = _open_event()
    service.invite_people(event, [make_person(family_name=f"Müller {n}") for n in range(size)])
    db.session.commit()
    auth.login(Role.ORGANIZER)
    client.get(f"/events/{event.slug}/invitations?q=muller")

    with count_queries() as statements:
        response = client.get(f"/events/{event.slug}/invitations?q=muller")

    # As the unsearched list (tests/invitations/test_views.py), the series check included.
    assert response.status_code == 200 and len(statements) == 13, statements
