"""Invitation lists, the mail template, sending, reminders and answers."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from eventmgr.errors import Conflict, DomainError
from eventmgr.extensions import db
from eventmgr.invitations import service
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.models import Message
from eventmgr.registry import registration
from eventmgr.registry.enums import OrganizationKind, RegistrationStatus, Sector
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant

SENDER = "Team <team@example.org>"


def _invited_emails(event) -> list[str]:
    return sorted(invitation.person.email for invitation in db.session.scalars(
        sa.select(Invitation).where(Invitation.event_id == event.id)))


def test_no_one_is_invited_twice(app_ctx):
    event = make_event()
    ada, alan = make_person("ada@example.org"), make_person("alan@example.org")

    first = service.invite_people(event, [ada, ada])
    second = service.invite_people(event, [ada, alan])
    db.session.commit()

    assert ([i.person.email for i in first], [i.person.email for i in second]) == \
        (["ada@example.org"], ["alan@example.org"])
    assert _invited_emails(event) == ["ada@example.org", "alan@example.org"]


def test_directory_filter_by_kind_and_sector(app_ctx):
    association = OrganizationKind.INDUSTRY_ASSOCIATION
    chemical = make_organization("Cefic", kind=association, sectors={Sector.CHEMICAL})
    nuclear = make_organization("WNA", kind=association, sectors={Sector.NUCLEAR})
    company = make_organization("BASF", kind=OrganizationKind.COMPANY, sectors={Sector.CHEMICAL})
    make_person("a@cefic.example", organization=chemical)
    make_person("b@wna.example", organization=nuclear)
    make_person("c@basf.example", organization=company)

    people = service.people_in_directory(kind=OrganizationKind.INDUSTRY_ASSOCIATION, sector=Sector.CHEMICAL)

    assert [person.email for person in people] == ["a@cefic.example"]


def test_attendees_of_an_earlier_event(app_ctx):
    earlier = make_event(status=EventStatus.REGISTRATION_OPEN)
    organization = make_organization()
    came = record_participant(earlier, organization, person=make_person("came@example.org"))
    record_participant(earlier, organization, person=make_person("cancelled@example.org"), status="cancelled")

    assert [person.email for person in service.attendees_of(earlier)] == [came.person.email]


def test_csv_import_invites_and_creates_people(app_ctx):
    event = make_event()
    make_person("known@example.org")
    data = (b"given_name,family_name,email,organization,organization_kind,country\n"
            b"Known,Person,known@example.org,Cefic,industry_association,BE\n"
            b"New,Person,new@example.org,Cefic,industry_association,BE\n")

    result, invited = service.import_invitations(event, data, "list.csv")
    _, invited_again = service.import_invitations(event, data, "list.csv")
    db.session.commit()

    assert (result.errors, len(invited), result.people_created, len(invited_again)) == ([], 2, 1, 0)
    assert _invited_emails(event) == ["known@example.org", "new@example.org"]


def test_csv_import_with_an_error_writes_nothing(app_ctx):
    event = make_event()
    data = b"given_name,family_name,email,organization,organization_kind\nA,B,not-an-email,X,company\n"

    result, invited = service.import_invitations(event, data, "list.csv")

    assert (len(result.errors), invited) == (1, [])
    assert _invited_emails(event) == []


def test_template_rejects_unknown_placeholders_and_a_body_without_link(app_ctx):
    event = make_event()

    with pytest.raises(DomainError) as unknown:
        service.save_template(event, subject="{title}", body="{link}", answer_deadline=None,
                              attach_calendar=False)
    with pytest.raises(DomainError) as no_link:
        service.save_template(event, subject="Hi", body="Dear {name}", answer_deadline=None,
                              attach_calendar=False)

    assert (unknown.value.field, no_link.value.field) == ("subject", "body")


def test_placeholders_cannot_inject_html(app_ctx):
    event = make_event(title="<script>alert(1)</script> & Co")
    person = make_person("x@example.org", given_name='<img src=x onerror="alert(1)">', family_name="<b>")
    service.save_template(event, subject="Invitation", body="<i>Dear</i> {name},\n\n{event}\n{link}",
                          answer_deadline=None, attach_calendar=False)
    service.invite_people(event, [person])
    service.send_invitations(event, sender=SENDER)
    db.session.commit()

    html = db.session.scalar(sa.select(Message.body_html))

    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &lt;b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert html.count('<a href="http') == 1


def test_send_queues_one_mail_per_unsent_invitation_and_only_once(app_ctx):
    event = make_event()
    service.invite_people(event, [make_person(), make_person()])
    first = service.send_invitations(event, sender=SENDER)
    second = service.send_invitations(event, sender=SENDER)
    db.session.commit()

    assert (len(first), len(second)) == (2, 0)
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 2
    assert {i.status for i in first} == {InvitationStatus.SENT}


def test_reminders_go_to_those_without_answer_after_n_days(app_ctx):
    event = make_event(start_date=dt.date.today() + dt.timedelta(days=30),
                       end_date=dt.date.today() + dt.timedelta(days=31))
    silent, answered, recent = service.invite_people(event, [make_person(), make_person(), make_person()])
    service.send_invitations(event, sender=SENDER)
    service.answer(answered, InvitationStatus.DECLINED)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    silent.sent_at = answered.sent_at = long_ago
    db.session.flush()

    reminded = service.remind(event, sender=SENDER, after_days=7)
    db.session.commit()

    assert reminded == [silent]
    assert (silent.reminders_sent, recent.reminders_sent) == (1, 0)
    assert db.session.scalar(sa.select(Message.subject).where(Message.kind == "reminder")) == \
        f"Reminder: Invitation: {event.title}"


def test_answers_change_until_the_deadline_only(app_ctx):
    event = make_event(start_date=dt.date.today() + dt.timedelta(days=30),
                       end_date=dt.date.today() + dt.timedelta(days=31))
    [invitation] = service.invite_people(event, [make_person()])

    service.answer(invitation, InvitationStatus.DECLINED, reason="Travel budget")
    declined = (invitation.status, invitation.decline_reason)
    service.answer(invitation, InvitationStatus.TENTATIVE, reason="ignored")
    tentative = (invitation.status, invitation.decline_reason)
    service.save_template(event, subject="Hi", body="{link}", attach_calendar=False,
                          answer_deadline=dt.date.today() - dt.timedelta(days=1))

    with pytest.raises(service.AnswerClosed):
        service.answer(invitation, InvitationStatus.ACCEPTED)
    assert (declined, tentative) == \
        ((InvitationStatus.DECLINED, "Travel budget"), (InvitationStatus.TENTATIVE, ""))


def test_html_part_keeps_paragraphs_and_line_breaks(app_ctx):
    html = service.render_html("Dear {name},\n\nLine one\nLine two {link}",
                               {"name": "Ada", "link": "https://x.example/rsvp/t"})

    assert str(html) == ('<p>Dear <bdi>Ada</bdi>,</p>\n<p>Line one<br>\nLine two '
                         '<a href="https://x.example/rsvp/t">https://x.example/rsvp/t</a></p>')


# ---------------------------------------------------------------- organizations with seats

def _open_event():
    soon = dt.date.today() + dt.timedelta(days=30)
    return make_event(status=EventStatus.REGISTRATION_OPEN, start_date=soon, end_date=soon)


def _organization_with_contact(name: str = "Verband der Chemischen Industrie"):
    organization = make_organization(name, kind=OrganizationKind.INDUSTRY_ASSOCIATION)
    return organization, make_person("contact@vci.example", given_name="Petra", family_name="Vogel",
                                     organization=organization)


def test_an_organization_is_invited_once_with_its_seats_and_contact(app_ctx):
    event = make_event()
    organization, contact = _organization_with_contact()
    invitation = service.invite_organization(event, organization, seats=3, contact=contact)

    with pytest.raises(Conflict) as again:
        service.invite_organization(event, organization, seats=1, contact=make_person())
    with pytest.raises(Conflict) as same_contact:
        service.invite_organization(event, make_organization(), seats=1, contact=contact)
    with pytest.raises(DomainError) as no_seats:
        service.invite_organization(event, make_organization(), seats=0, contact=make_person())

    assert (invitation.organization, invitation.person, invitation.seats) == (organization, contact, 3)
    assert (again.value.field, same_contact.value.field, no_seats.value.field) == \
        ("organization_id", "contact_email", "seats")
    assert "Verband der Chemischen Industrie is already invited" in again.value.message


def test_a_new_contact_joins_the_directory_only_with_a_name(app_ctx):
    organization = make_organization("Bayer AG", country="DE")

    with pytest.raises(DomainError) as nameless:
        service.find_or_add_contact(organization, email="new@bayer.example")
    contact = service.find_or_add_contact(organization, email="new@bayer.example", given_name="Jonas",
                                          family_name="Berg")
    found = service.find_or_add_contact(organization, email="NEW@bayer.example")

    assert "new@bayer.example is not in the directory" in nameless.value.message
    assert (contact.organization, contact.country, found) == (organization, "DE", contact)


def test_the_organizations_invitation_goes_to_its_contact_and_says_how_many_seats(app_ctx):
    event = make_event()
    organization, contact = _organization_with_contact()
    service.invite_organization(event, organization, seats=2, contact=contact)

    service.send_invitations(event, sender=SENDER)
    [message] = db.session.scalars(sa.select(Message)).all()

    assert message.recipient == "contact@vci.example"
    assert "Dear Petra Vogel," in message.body_text
    assert "Verband der Chemischen Industrie is invited to send up to 2 delegates: please name them " \
        "through the link below." in message.body_text


def test_a_person_invitation_has_no_delegation_sentence(app_ctx):
    event = make_event()
    [invitation] = service.invite_people(event, [make_person(organization=make_organization("AREVA"))])
    values = service.placeholder_values(invitation, service.template_for(event), "https://x.example/l")

    assert (values["delegation"], values["organization"]) == ("", "AREVA")


def test_the_contact_withdraws_only_delegates_of_its_invitation(app_ctx):
    event = _open_event()
    organization, contact = _organization_with_contact()
    invitation = service.invite_organization(event, organization, seats=2, contact=contact)
    service.answer(invitation, InvitationStatus.ACCEPTED)
    delegate = registration.register_participant(event, person=make_person(), invitation=invitation)
    stranger = record_participant(event, None)

    with pytest.raises(DomainError) as refused:
        service.withdraw_delegate(invitation, stranger.id)
    service.withdraw_delegate(invitation, delegate.id)
    db.session.commit()

    assert "not a delegate named through this invitation" in refused.value.message
    assert (delegate.status, stranger.status) == (RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED)
    assert invitation.status is InvitationStatus.ACCEPTED
    assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all()[-1] == \
        "registration_cancelled"


def test_an_organization_with_delegates_withdraws_them_before_changing_its_answer(app_ctx):
    event = _open_event()
    organization, contact = _organization_with_contact()
    invitation = service.invite_organization(event, organization, seats=2, contact=contact)
    registration.register_participant(event, person=make_person(), invitation=invitation)

    with pytest.raises(service.AnswerClosed) as closed:
        service.answer(invitation, InvitationStatus.DECLINED)

    assert "withdraw them first" in closed.value.message


def test_seats_change_but_never_below_the_delegates_named(app_ctx):
    event = _open_event()
    organization, contact = _organization_with_contact()
    invitation = service.invite_organization(event, organization, seats=3, contact=contact)
    service.answer(invitation, InvitationStatus.ACCEPTED)
    for _ in range(2):
        registration.register_participant(event, person=make_person(), invitation=invitation)
    [personal] = service.invite_people(event, [make_person()])

    with pytest.raises(Conflict) as below:
        service.change_seats(invitation, 1)
    with pytest.raises(DomainError) as too_many:
        service.change_seats(invitation, service.MAX_SEATS + 1)
    with pytest.raises(DomainError) as not_an_organization:
        service.change_seats(personal, 2)
    service.change_seats(invitation, 2)

    assert invitation.seats == 2
    assert below.value.message == ("Verband der Chemischen Industrie has named 2 delegates: withdraw some "
                                   "before leaving 1 seat.")
    assert (below.value.field, too_many.value.field) == ("seats", "seats")
    assert not_an_organization.value.message == "Only an organization's invitation has seats."
