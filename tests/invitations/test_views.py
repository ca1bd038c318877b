"""The RSVP page, the dashboard, the template page and the outbox pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations import service
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.mail.enums import MessageStatus
from eventmgr.mail.models import Message
from eventmgr.registry import service as registration_service
from eventmgr.registry.enums import ListCategory, OrganizationKind, RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import make_event, make_organization, make_person

SENDER = "Team <team@example.org>"
SOON = dt.date.today() + dt.timedelta(days=30)


def _invited_event(*people, **event_fields):
    event = make_event(status=EventStatus.REGISTRATION_OPEN, start_date=SOON, end_date=SOON,
                       registration_mode=RegistrationMode.INVITATION_ONLY, **event_fields)
    invitations = service.invite_people(event, people or [make_person()])
    service.send_invitations(event, sender=SENDER)
    db.session.commit()
    return event, invitations


def _rsvp_path(message: Message) -> str:
    link = next(line for line in message.body_text.splitlines() if "/rsvp/" in line)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _last_path() -> str:
    return _rsvp_path(db.session.scalars(sa.select(Message).order_by(Message.id.desc())).first())


INVALID = "This invitation link is not valid"


def test_forged_token_reveals_nothing(client, app_ctx):
    _invited_event(make_person(given_name="Secret", family_name="Guest"))

    response = client.get("/rsvp/" + "A" * 32)

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert INVALID in page and "Secret" not in page and "Conference" not in page


def test_revoked_token_and_reissued_link(client, app_ctx):
    _, [invitation] = _invited_event()
    old = _last_path()
    service.revoke_link(invitation)
    db.session.commit()
    revoked = client.get(old).status_code
    service.reissue_link(invitation, sender=SENDER)
    db.session.commit()
    new = _last_path()

    assert (revoked, client.get(old).status_code, client.get(new).status_code) == (404, 404, 200)


def test_expired_token_after_the_deadline(client, app_ctx):
    event, _ = _invited_event()
    path = _last_path()
    service.save_template(event, subject="Hi", body="{link}", attach_calendar=False,
                          answer_deadline=dt.date.today() - dt.timedelta(days=1))
    db.session.commit()

    response = client.get(path)

    assert (response.status_code, INVALID in response.get_data(as_text=True)) == (404, True)


def test_replayed_link_after_decline_changes_the_answer_until_the_deadline(client, app_ctx):
    _, [invitation] = _invited_event()
    path = _last_path()

    declined = client.post(path, data={"answer": "declined", "reason": "Another meeting"})
    page = client.get(path).get_data(as_text=True)
    tentative = client.post(path, data={"answer": "tentative"})
    db.session.refresh(invitation)

    assert (declined.status_code, tentative.status_code) == (302, 302)
    assert "Your answer so far: <strong>Declined</strong>" in page
    assert (invitation.status, invitation.decline_reason) == (InvitationStatus.TENTATIVE, "")


def test_an_empty_answer_is_refused_with_the_form(client, app_ctx):
    _invited_event()

    response = client.post(_last_path(), data={})

    assert response.status_code == 400
    assert "Please correct this error" in response.get_data(as_text=True)


def test_invite_accept_register_confirmation(client, app_ctx):
    organization = make_organization("Airbus", country="FR")
    person = make_person("claire@example.org", given_name="Claire", family_name="Martin",
                         organization=organization)
    event, [invitation] = _invited_event(person)
    path = _last_path()

    accepted = client.post(path, data={"answer": "accepted"})
    form = client.get(accepted.headers["Location"]).get_data(as_text=True)
    token = path.rsplit("/", 1)[1]
    registered = client.post(f"/events/{event.slug}/register", data={
        "token": token, "given_name": "Claire", "family_name": "Martin", "email": "claire@example.org",
        "organization_id": str(organization.id)})
    db.session.refresh(invitation)

    assert accepted.headers["Location"] == f"/events/{event.slug}/register?token={token}"
    assert 'value="Claire"' in form
    assert registered.status_code == 302
    assert invitation.status is InvitationStatus.REGISTERED
    assert db.session.scalar(sa.select(Registration.status)) is RegistrationStatus.CONFIRMED
    assert db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all() == \
        ["invitation", "registration_confirmed"]
    assert "You are registered" in client.get(path).get_data(as_text=True)


def _dashboard_fixture():
    government = make_organization("Federal Foreign Office", kind=OrganizationKind.GOVERNMENT, country="DE")
    company = make_organization("AREVA", kind=OrganizationKind.COMPANY, country="FR")
    people = [make_person(organization=government, country="DE") for _ in range(3)] + \
        [make_person(organization=company, country="FR") for _ in range(3)] + [make_person(country=None)]
    event = make_event(start_date=SOON, end_date=SOON)
    invitations = service.invite_people(event, people)
    service.send_invitations(event, invitations[:6], sender=SENDER)
    for invitation, answer in zip(invitations, (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED,
                                                InvitationStatus.TENTATIVE, InvitationStatus.DECLINED),
                                  strict=False):
        service.answer(invitation, answer)
    db.session.commit()
    return event


def test_dashboard_counts_on_a_fixture(app_ctx):
    from eventmgr.invitations import queries

    event = _dashboard_fixture()
    counts = queries.status_counts(event.id)

    assert {status.value: n for status, n in counts.items()} == {
        "draft": 1, "sent": 2, "accepted": 1, "declined": 2, "tentative": 1, "registered": 0}
    assert queries.response_rate(counts) == 4 / 6
    assert queries.counts_by_category(event.id) == [
        (ListCategory.STATES, 3), (ListCategory.INDUSTRY, 3), (None, 1)]
    assert sorted(queries.counts_by_country(event.id), key=str) == [("DE", 3), ("FR", 3), (None, 1)]


def test_dashboard_page_and_its_filter(client, auth, app_ctx):
    event = _dashboard_fixture()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)
    declined = client.get(f"/events/{event.slug}/invitations?status=declined").get_data(as_text=True)

    assert "67 %" in page and "7 invitations match." in page
    assert "2 invitations match." in declined


@pytest.mark.parametrize("size", [3, 12])
def test_dashboard_runs_a_fixed_number_of_queries(client, auth, app_ctx, count_queries, size):
    event = make_event()
    service.invite_people(event, [make_person(organization=make_organization()) for _ in range(size)])
    for _ in range(size):
        organization = make_organization()
        contact = make_person(organization=organization)
        service.invite_organization(event, organization, seats=2, contact=contact)
    db.session.commit()
    auth.login(Role.ORGANIZER)
    client.get(f"/events/{event.slug}/invitations")

    with count_queries() as statements:
        response = client.get(f"/events/{event.slug}/invitations")

    # The list is paginated (a count, then the page) and two more give the held, removed and mail
    # figures; one more finds the series of the URL for the per-series rights check.
    assert (response.status_code, len(statements)) == (200, 13)
    assert response.get_data(as_text=True).count("0 of 2 seats named by the contact") == size


def test_add_people_send_and_remind_from_the_dashboard(client, auth, app_ctx):
    event = make_event(start_date=SOON, end_date=SOON)
    make_person("ada@example.org")
    auth.login(Role.ORGANIZER)

    added = client.post(f"/events/{event.slug}/invitations/add",
                        data={"emails": "Ada@Example.org\nnobody@example.org"})
    asked = client.post(f"/events/{event.slug}/invitations/send", data={"scope": "filter"})
    queued_before = db.session.scalar(sa.select(sa.func.count()).select_from(Message))
    client.post(f"/events/{event.slug}/invitations/send", data={"scope": "filter", "confirmed": "yes"})
    flashes = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)
    client.post(f"/events/{event.slug}/invitations/send", data={"scope": "filter", "confirmed": "yes"})
    again = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)

    assert added.status_code == 302
    asked_page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "<h1>Send 1 invitation?</h1>" in asked_page
    assert "1 invited." in asked_page and "nobody@example.org" in asked_page
    assert queued_before == 0
    assert "1 invitation queued." in flashes and "Undo: do not send them" in flashes
    assert "Nothing to send: every invitation chosen has gone out already." in again
    assert db.session.scalar(sa.select(Invitation.status)) is InvitationStatus.SENT
    assert db.session.scalar(sa.select(Message.recipient)) == "ada@example.org"


def test_template_page_previews_and_refuses_bad_placeholders(client, auth, app_ctx):
    event = make_event(title="Frankfurt")
    auth.login(Role.ORGANIZER)

    preview = client.get(f"/events/{event.slug}/invitations/template").get_data(as_text=True)
    bad = client.post(f"/events/{event.slug}/invitations/template",
                      data={"subject": "Hi {who}", "body": "{link}"})

    assert "Dear <bdi>Ada Example</bdi>," in preview and "Invitation: Frankfurt" in preview
    assert bad.status_code == 400
    assert "Unknown placeholder {who}" in bad.get_data(as_text=True)
    assert 'value="Hi {who}"' in bad.get_data(as_text=True)


def test_outbox_page_lists_and_retries_failed_messages(client, auth, app_ctx):
    event, _ = _invited_event(make_person("ada@example.org"))
    message = db.session.scalar(sa.select(Message))
    message.status, message.last_error = MessageStatus.FAILED, "SMTPRecipientsRefused: no such user"
    db.session.commit()
    auth.login(Role.ORGANIZER)

    failed = client.get(f"/events/{event.slug}/mail?status=failed").get_data(as_text=True)
    retried = client.post(f"/mail/{message.id}/retry")
    db.session.refresh(message)
    none_failed = client.get(f"/events/{event.slug}/mail?status=failed").get_data(as_text=True)

    assert "ada@example.org" in failed and "no such user" in failed
    assert 'aria-label="Retry: ada@example.org"' in failed
    assert "No message with this status." in none_failed and "<table" not in none_failed
    assert retried.headers["Location"] == f"/events/{event.slug}/mail"
    assert message.status is MessageStatus.QUEUED


def test_export_is_formula_safe(client, auth, app_ctx):
    event = make_event()
    formula = make_person("x@example.org", given_name="=HYPERLINK(1)", family_name="Doe")
    service.invite_people(event, [formula])
    db.session.commit()
    auth.login(Role.ORGANIZER)

    csv_text = client.get(f"/events/{event.slug}/invitations.csv").data.decode("utf-8-sig")
    xlsx = client.get(f"/events/{event.slug}/invitations.xlsx")

    assert csv_text.splitlines()[1].startswith("'=HYPERLINK(1),Doe,x@example.org,")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_add_from_directory_earlier_event_and_file(client, auth, app_ctx):
    earlier = make_event(status=EventStatus.REGISTRATION_OPEN)
    event = make_event(earlier.series)
    association = make_organization("Cefic", kind=OrganizationKind.INDUSTRY_ASSOCIATION)
    make_person("member@cefic.example", organization=association)
    came = make_person("came@example.org")
    registration_service.record_registration(earlier, came, organization=None)
    db.session.commit()
    auth.login(Role.ORGANIZER)

    client.post(f"/events/{event.slug}/invitations/from-directory", data={"kind": "industry_association"})
    client.post(f"/events/{event.slug}/invitations/from-event", data={"earlier_event_id": str(earlier.id)})
    bad = client.post(f"/events/{event.slug}/invitations/import", data={
        "file": (io.BytesIO(b"given_name,email\nA,a@example.org\n"), "list.csv")})
    good = client.post(f"/events/{event.slug}/invitations/import", data={"file": (io.BytesIO(
        b"given_name,family_name,email,organization,organization_kind\nNew,One,new@example.org,X,company\n"),
        "list.csv")})

    assert (bad.status_code, good.status_code) == (400, 302)
    assert "This required column is missing" in bad.get_data(as_text=True)
    invited = sa.select(Person.email).join(Invitation, Invitation.person_id == Person.id)
    assert sorted(db.session.scalars(invited.where(Invitation.event_id == event.id))) == \
        ["came@example.org", "member@cefic.example", "new@example.org"]


# ---------------------------------------------------------------- organizations with seats

def _organization_invited(seats: int = 2):
    organization = make_organization("Verband der Chemischen Industrie",
                                     kind=OrganizationKind.INDUSTRY_ASSOCIATION)
    contact = make_person("contact@vci.example", given_name="Petra", family_name="Vogel",
                          organization=organization)
    event = make_event(status=EventStatus.REGISTRATION_OPEN, start_date=SOON, end_date=SOON,
                       registration_mode=RegistrationMode.INVITATION_ONLY)
    invitation = service.invite_organization(event, organization, seats=seats, contact=contact)
    service.send_invitations(event, sender=SENDER)
    db.session.commit()
    return event, invitation, _last_path()


def _name_delegate(client, event, token: str, email: str):
    # The organization field is fixed by the invitation, whatever the request says.
    other = make_organization()
    return client.post(f"/events/{event.slug}/register", data={
        "token": token, "given_name": "Jan", "family_name": email.split("@")[0].title(), "email": email,
        "organization_id": str(other.id)})


def test_the_contact_accepts_names_delegates_up_to_the_seats_and_withdraws_one(client, app_ctx):
    event, invitation, path = _organization_invited(seats=2)
    token = path.rsplit("/", 1)[1]

    first_page = client.get(path).get_data(as_text=True)
    accepted = client.post(path, data={"answer": "accepted"})
    form = client.get(f"/events/{event.slug}/register?token={token}").get_data(as_text=True)
    named = [_name_delegate(client, event, token, email) for email in ("jan@vci.example", "eva@vci.example")]
    full_page = client.get(path).get_data(as_text=True)
    third = _name_delegate(client, event, token, "max@vci.example")

    assert "We accept — continue to naming the delegates" in first_page
    assert ("Invitation for <strong><bdi>Verband der Chemischen Industrie</bdi></strong>, with\n"
            "      2 seats") in first_page
    assert accepted.headers["Location"] == f"{path}#delegates"
    assert "Name a delegate of <bdi>Verband der Chemischen Industrie</bdi>" in form
    assert 'value="Petra"' not in form and 'name="organization_name"' not in form
    assert [response.headers["Location"] for response in named] == [f"{path}#delegates"] * 2
    assert "2 of 2 seats named" in full_page and "All seats are named" in full_page
    assert "jan@vci.example" in full_page and "Name a delegate</a>" not in full_page
    assert third.status_code == 400
    assert "All 2 seats of this invitation are named" in third.get_data(as_text=True)
    registrations = db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()
    assert [(r.person.email, r.organization_id, r.status) for r in registrations] == [
        ("jan@vci.example", invitation.organization_id, RegistrationStatus.CONFIRMED),
        ("eva@vci.example", invitation.organization_id, RegistrationStatus.CONFIRMED)]
    assert db.session.scalars(sa.select(Message.recipient).where(Message.kind == "registration_confirmed")
                              .order_by(Message.id)).all() == ["jan@vci.example", "eva@vci.example"]

    withdrawn = client.post(f"{path}/delegates/{registrations[0].id}/withdraw")
    after = client.get(path).get_data(as_text=True)
    db.session.refresh(registrations[0])

    assert withdrawn.headers["Location"] == f"{path}#delegates"
    assert registrations[0].status is RegistrationStatus.CANCELLED
    assert "1 of 2 seats named" in after and "Name a delegate</a>" in after


def test_a_withdrawal_needs_a_live_link_and_a_delegate_of_it(client, app_ctx):
    event, _invitation, path = _organization_invited(seats=1)
    token = path.rsplit("/", 1)[1]
    client.post(path, data={"answer": "accepted"})
    _name_delegate(client, event, token, "jan@vci.example")
    other = registration_service.record_registration(event, make_person(), organization=None)
    db.session.commit()

    forged = client.post(f"/rsvp/{'A' * 32}/delegates/{other.id}/withdraw")
    not_ours = client.post(f"{path}/delegates/{other.id}/withdraw", follow_redirects=True)

    assert forged.status_code == 404
    assert "not a delegate named through this invitation" in not_ours.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.status == RegistrationStatus.CANCELLED)) == 0


def test_organizer_invites_an_organization_from_the_dashboard(client, auth, app_ctx):
    event = make_event()
    organization = make_organization("Siemens AG", country="DE")
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/invitations/organizations"

    nameless = client.post(url, data={"organization_id": str(organization.id), "seats": "3",
                                      "contact_email": "new@siemens.example"})
    too_many = client.post(url, data={"organization_id": str(organization.id), "seats": "500",
                                      "contact_email": "new@siemens.example"})
    added = client.post(url, data={"organization_id": str(organization.id), "seats": "3",
                                   "contact_email": "new@siemens.example", "contact_given_name": "Lena",
                                   "contact_family_name": "Roth"})
    twice = client.post(url, data={"organization_id": str(organization.id), "seats": "1",
                                   "contact_email": "new@siemens.example"})
    page = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)

    assert (nameless.status_code, too_many.status_code, added.status_code, twice.status_code) == \
        (400, 400, 302, 400)
    assert "new@siemens.example is not in the directory" in nameless.get_data(as_text=True)
    assert "Give between 1 and 50 seats." in too_many.get_data(as_text=True)
    assert "Siemens AG is already invited to this event." in twice.get_data(as_text=True)
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.seats, invitation.person.full_name, invitation.person.organization_id) == \
        (3, "Lena Roth", organization.id)
    assert "0 of 3 seats named by the contact" in page


def test_export_gives_an_organizations_seats_country_and_contact(client, auth, app_ctx):
    event, _invitation, _path = _organization_invited(seats=3)
    auth.login(Role.ORGANIZER)

    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/events/{event.slug}/invitations.csv").data.decode("utf-8-sig"))))

    assert [(r["Email"], r["Organization"], r["Category"], r["Country"], r["Seats"], r["Status"])
            for r in rows] == [("contact@vci.example", "Verband der Chemischen Industrie",
                                "Industry association", "Germany", "3", "Sent")]


def test_an_organizations_invitation_counts_under_its_own_category_and_country(app_ctx):
    from eventmgr.invitations import queries

    event, _invitation, _path = _organization_invited()
    # The contact works elsewhere: the invitation still counts for the invited organization.
    service.invite_people(event, [make_person(organization=make_organization("AREVA", country="FR"),
                                              country="FR")])
    contact = db.session.scalar(sa.select(Person).where(Person.email == "contact@vci.example"))
    contact.organization, contact.country = None, "AT"
    db.session.commit()

    assert queries.counts_by_category(event.id) == [(ListCategory.INDUSTRY, 2)]
    assert sorted(queries.counts_by_country(event.id)) == [("DE", 1), ("FR", 1)]


def test_the_organizer_changes_an_organizations_seats_from_the_dashboard(client, auth, app_ctx):
    event, invitation, path = _organization_invited(seats=2)
    client.post(path, data={"answer": "accepted"})
    _name_delegate(client, event, path.rsplit("/", 1)[1], "jan@vci.example")
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/invitations/{invitation.id}/seats"

    more = client.post(url, data={"seats": "4"})
    after_more = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)
    client.post(url, data={"seats": "0"})
    after_zero = client.get(f"/events/{event.slug}/invitations").get_data(as_text=True)

    assert more.headers["Location"].endswith(f"/events/{event.slug}/invitations")
    assert "Verband der Chemischen Industrie now has 4 seats." in after_more
    assert "1 of 4 seats named by the contact" in after_more
    assert "Give between 1 and 50 seats." in after_zero
    db.session.refresh(invitation)
    assert invitation.seats == 4
    assert "of 4 seats named" in client.get(path).get_data(as_text=True)
