"""Public registration and cancellation pages; the organizer's registrations list and exports."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation
from eventmgr.invitations.tokens import new_token
from eventmgr.mail.models import Message
from eventmgr.registry import registration as service
from eventmgr.registry.enums import OrganizationKind, RegistrationStatus
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series.enums import EventStatus, RegistrationMode
from tests.builders import make_event, make_organization, make_person

OPEN = EventStatus.REGISTRATION_OPEN
FORM = {"honorific": "Dr.", "given_name": "Amani", "family_name": "Okafor (Lagos)",
        "email": "amani@example.org", "position": "Compliance officer",
        "organization_name": "Dangote Group", "organization_kind": "company",
        "organization_country": "NG", "dietary_needs": "Vegan", "access_needs": "",
        "consent_to_list": "y"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _register(event, count: int, **fields) -> list[Registration]:
    organization = make_organization(kind=OrganizationKind.COMPANY, country="FR")
    registrations = [service.register_participant(event, person=make_person(organization=organization),
                                                  **fields) for _ in range(count)]
    db.session.commit()
    return registrations


def test_public_registration_creates_person_organization_and_registration(client, app_ctx):
    event = make_event(status=OPEN)

    response = client.post(f"/events/{event.slug}/register", data=FORM)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.slug}/register/done"
    registration = db.session.scalar(select(Registration))
    # Listed publicly only once the person confirms from the mail (tests/registry/test_confirmations.py).
    assert (registration.person.family_name, registration.person.email, registration.organization.name,
            registration.organization.country, registration.dietary_needs, registration.consent_to_list) == (
        "Okafor (Lagos)", "amani@example.org", "Dangote Group", "NG", "Vegan", False)
    assert "Check your inbox" in client.get(response.headers["Location"]).text


def test_the_form_lists_the_directory_but_posting_it_looks_up_the_chosen_organization_alone(
        client, app_ctx, count_queries):
    event = make_event(status=OPEN)
    chosen = make_organization("Arab Bank", kind=OrganizationKind.COMPANY, country="JO")
    for number in range(30):
        make_organization(f"Bank {number}", kind=OrganizationKind.COMPANY)
    db.session.commit()
    listing = "FROM organization ORDER BY organization.name"

    with count_queries() as shown:
        page = client.get(f"/events/{event.slug}/register")
    with count_queries() as posted:
        answer = client.post(f"/events/{event.slug}/register",
                             data=FORM | {"organization_id": str(chosen.id), "organization_name": ""})

    assert f'<option value="{chosen.id}">Arab Bank</option>' in page.text
    assert any(listing in statement for statement in shown)
    assert answer.status_code == 302
    assert not any(listing in statement for statement in posted)
    assert db.session.scalar(select(Registration)).organization.name == "Arab Bank"


@pytest.mark.parametrize("chosen", ["999999", "12abc", "²", "-1", "9" * 40, "1e3"])
def test_a_posted_organization_not_in_the_directory_is_refused_and_nothing_written(client, app_ctx,
                                                                                  chosen):
    event = make_event(status=OPEN)

    answer = client.post(f"/events/{event.slug}/register", data=FORM | {"organization_id": chosen})

    assert answer.status_code == 400
    assert "Not a valid choice." in answer.text
    assert (_count(Person), _count(Registration)) == (0, 0)
    # The form shown again lists the directory to choose from.
    assert "— not in the list —" in answer.text


def test_submitting_the_form_twice_registers_once(client, app_ctx):
    event = make_event(status=OPEN)

    first = client.post(f"/events/{event.slug}/register", data=FORM)
    second = client.post(f"/events/{event.slug}/register", data=FORM)

    assert (first.status_code, second.status_code) == (302, 302)
    # The second submission names a known address: only a link to confirm goes out, no registration.
    assert (_count(Registration), _count(Person), _count(Organization), _count(Message)) == (1, 1, 1, 2)


def test_bad_input_keeps_values_explains_and_writes_nothing(client, app_ctx):
    event = make_event(status=OPEN)

    response = client.post(f"/events/{event.slug}/register",
                           data=FORM | {"email": "not-an-email", "organization_kind": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a valid email address." in page
    assert "Choose what kind of organization it is." in page
    assert 'value="Okafor (Lagos)"' in page
    assert (_count(Registration), _count(Person), _count(Organization)) == (0, 0, 0)


def test_a_choice_from_the_directory_is_used(client, app_ctx):
    event = make_event(status=OPEN)
    organization = make_organization("OPCW", kind=OrganizationKind.INTERNATIONAL, country=None)

    client.post(f"/events/{event.slug}/register",
                data=FORM | {"organization_id": str(organization.id), "organization_name": ""})

    assert db.session.scalar(select(Registration.organization_id)) == organization.id


def test_full_event_explains_the_waiting_list(client, app_ctx):
    event = make_event(status=OPEN, capacity=1)
    _register(event, 1)

    page = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    client.post(f"/events/{event.slug}/register", data=FORM)

    assert "All seats are taken" in page
    assert db.session.scalar(select(Registration.status).where(Registration.person.has(
        email="amani@example.org"))) is RegistrationStatus.WAITLISTED
    assert "waiting list" in db.session.scalars(select(Message.body_text).order_by(Message.id)).all()[-1]


@pytest.mark.parametrize("status", [EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED])
def test_closed_registration_shows_a_clear_page(client, app_ctx, status):
    event = make_event(status=status)

    response = client.post(f"/events/{event.slug}/register", data=FORM)

    assert response.status_code == 200
    assert "is not open" in response.get_data(as_text=True)
    assert _count(Registration) == 0


def test_draft_events_have_no_registration_page(client, app_ctx):
    event = make_event(status=EventStatus.DRAFT)

    assert client.get(f"/events/{event.slug}/register").status_code == 404


def test_invitation_only_registration_with_a_token(client, app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    organization = make_organization("Airbus", country="FR")
    person = make_person("guest@example.org", given_name="Claire", family_name="Martin",
                         organization=organization)
    token, token_hash = new_token()
    invitation = Invitation(event_id=event.id, person_id=person.id, status=InvitationStatus.ACCEPTED,
                            token_hash=token_hash)
    db.session.add(invitation)
    db.session.commit()

    without = client.get(f"/events/{event.slug}/register")
    unknown = client.get(f"/events/{event.slug}/register?token=made-up")
    prefilled = client.get(f"/events/{event.slug}/register?token={token}").get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/register",
                           data={"token": token, "given_name": "Claire", "family_name": "Martin",
                                 "email": "guest@example.org", "organization_id": str(organization.id)})

    assert (without.status_code, unknown.status_code) == (200, 404)
    assert "Please use the personal link" in without.get_data(as_text=True)
    assert "This invitation link is not valid" in unknown.get_data(as_text=True)
    assert 'value="Claire"' in prefilled and 'value="guest@example.org"' in prefilled
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.status is InvitationStatus.REGISTERED
    assert db.session.scalar(select(Registration.status)) is RegistrationStatus.CONFIRMED


def test_someone_else_cannot_use_a_personal_invitation(client, app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.INVITATION_ONLY)
    token, token_hash = new_token()
    db.session.add(Invitation(event_id=event.id, person_id=make_person().id, token_hash=token_hash))
    db.session.commit()

    response = client.post(f"/events/{event.slug}/register", data=FORM | {"token": token})

    assert response.status_code == 400
    assert "This invitation was sent to someone else" in response.get_data(as_text=True)
    assert (_count(Registration), _count(Person)) == (0, 1)


def test_cancellation_by_the_link_in_the_confirmation(client, app_ctx):
    event = make_event(status=OPEN, capacity=1)
    client.post(f"/events/{event.slug}/register", data=FORM)
    waiting = _register(event, 1)[0]
    first_mail = db.session.scalar(select(Message.body_text).order_by(Message.id))
    link = next(line for line in first_mail.splitlines() if "/cancel/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")
    done = client.post(f"/{path}", data={"reason": "Visa refused"})
    again = client.get(f"/{path}")

    assert page.status_code == 200
    assert "Cancel my registration" in page.get_data(as_text=True)
    assert done.status_code == 200
    assert again.status_code == 404
    db.session.refresh(waiting)
    assert waiting.status is RegistrationStatus.CONFIRMED


def test_registrations_list_filters_counts_and_paginates(client, auth, app_ctx):
    event = make_event(status=OPEN, capacity=2)
    ministry = make_organization("Ministry of Foreign Affairs", kind=OrganizationKind.GOVERNMENT,
                                 country="IT")
    italian = service.register_participant(event, person=make_person(
        "rossi@example.org", given_name="Maria", family_name="Rossi", organization=ministry))
    db.session.commit()
    _register(event, 3)
    auth.login(Role.ORGANIZER)

    everyone = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    by_country = client.get(f"/events/{event.slug}/registrations?country=IT").get_data(as_text=True)
    by_search = client.get(f"/events/{event.slug}/registrations?q=rossi").get_data(as_text=True)
    waiting = client.get(f"/events/{event.slug}/registrations?status=waitlisted&category=industry"
                         ).get_data(as_text=True)

    assert "4 registrations match" in everyone
    assert "1 registrations match" in by_country and "Maria Rossi" in by_country
    assert "1 registrations match" in by_search
    assert "2 registrations match" in waiting and "Maria Rossi" not in waiting
    assert italian.status is RegistrationStatus.CONFIRMED


def test_organizer_actions_approve_promote_and_cancel(client, auth, app_ctx):
    event = make_event(status=OPEN, registration_mode=RegistrationMode.APPROVAL, capacity=1)
    pending, other = _register(event, 2)
    auth.login(Role.ORGANIZER)
    base = f"/events/{event.slug}/registrations"

    client.post(f"{base}/{pending.id}/approve")
    client.post(f"{base}/{other.id}/approve")
    refused = client.post(f"{base}/{other.id}/promote", follow_redirects=True)
    client.post(f"{base}/{pending.id}/cancel")

    db.session.expire_all()
    assert "No seat is free" in refused.get_data(as_text=True)
    assert (pending.status, other.status) == (RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED)


def test_free_seats_after_a_capacity_rise_go_to_the_waiting_list(client, auth, app_ctx):
    event = make_event(status=OPEN, capacity=1)
    registrations = _register(event, 3)
    event.capacity = 2
    db.session.commit()
    auth.login(Role.ORGANIZER)

    offer = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    response = client.post(f"/events/{event.slug}/registrations/fill-seats", follow_redirects=True)

    db.session.expire_all()
    assert "Give 1 seat to the first person waiting (each is mailed)" in offer
    assert "1 person moved from the waiting list to a seat." in response.get_data(as_text=True)
    assert [r.status for r in registrations] == [RegistrationStatus.CONFIRMED] * 2 + [
        RegistrationStatus.WAITLISTED]


def test_actions_never_redirect_off_site(client, auth, app_ctx):
    event = make_event(status=OPEN)
    [registration] = _register(event, 1)
    auth.login(Role.ORGANIZER)

    response = client.post(f"/events/{event.slug}/registrations/{registration.id}/cancel",
                           data={"next": "//evil.example/"})

    assert response.headers["Location"] == f"/events/{event.slug}/registrations"


def test_organizer_registers_someone_by_hand_in_any_status(client, auth, app_ctx):
    event = make_event(status=EventStatus.HELD, registration_mode=RegistrationMode.INVITATION_ONLY)
    auth.login(Role.ORGANIZER)

    response = client.post(f"/events/{event.slug}/registrations/new", data=FORM | {"role": "speaker"})

    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert (registration.status.value, registration.role.value) == ("confirmed", "speaker")
    assert _count(Message) == 0


def test_organizer_registration_sends_the_confirmation_when_ticked(client, auth, app_ctx):
    event = make_event(status=OPEN)
    auth.login(Role.ORGANIZER)

    form = client.get(f"/events/{event.slug}/registrations/new").get_data(as_text=True)
    client.post(f"/events/{event.slug}/registrations/new", data=FORM | {"role": "chair", "notify": "y"})

    assert " checked " in re.search(r'<input[^>]*id="notify"[^>]*>', form).group(0)
    assert db.session.scalar(select(Message.kind)) == "registration_confirmed"


def test_export_downloads_with_filters_and_columns(client, auth, app_ctx):
    event = make_event(status=OPEN)
    _register(event, 2)
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}/registrations"

    as_csv = client.get(f"{url}.csv?column=family_name&column=status&status=confirmed")
    as_xlsx = client.get(f"{url}.xlsx?column=family_name")

    assert as_csv.headers["Content-Disposition"] == f'attachment; filename="registrations-{event.slug}.csv"'
    assert as_csv.mimetype == "text/csv"
    lines = as_csv.get_data().decode("utf-8-sig").splitlines()
    assert lines[0] == "Family name,Status"
    assert len(lines) == 3
    sheet = load_workbook(io.BytesIO(as_xlsx.get_data())).active
    assert [row[0].value for row in sheet.iter_rows()][:1] == ["Family name"]
    assert sheet.max_row == 3


@pytest.mark.parametrize("path", ["/registrations", "/registrations.csv", "/registrations.xlsx",
                                  "/checkin", "/badges"])
def test_lists_and_exports_run_a_fixed_number_of_queries(client, auth, app_ctx, count_queries, path):
    event = make_event(status=OPEN)
    auth.login(Role.ORGANIZER)
    url = f"/events/{event.slug}{path}"
    counts = []
    for size in (3, 30):
        _register(event, size)
        client.get(url)  # warm up the login's user lookup caches alike for both sizes
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))

    assert counts[0] == counts[1]


def test_the_public_form_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTRATION_RATE_LIMIT="2 per hour")
    with app.app_context():
        slug = make_event(status=OPEN).slug
    client = app.test_client()

    statuses = [client.post(f"/events/{slug}/register", data={}).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]
    assert client.get(f"/events/{slug}/register").status_code == 200


@pytest.mark.parametrize("typed", ["UNODA", "United Nations Office for Disarmament Affairs",
                                   "office for disarmament affairs of the united nations secretariat."])
def test_the_registration_form_finds_an_organization_by_acronym_or_alias(client, app_ctx, typed):
    unoda = make_organization("Office for Disarmament Affairs of the United Nations Secretariat",
                              kind=OrganizationKind.INTERNATIONAL, country=None, acronym="UNODA",
                              aliases=["United Nations Office for Disarmament Affairs"])
    event = make_event(status=OPEN)

    response = client.post(f"/events/{event.slug}/register",
                           data=FORM | {"organization_name": typed, "organization_kind": "international",
                                        "organization_country": ""})

    assert response.status_code == 302
    assert db.session.scalar(select(Registration)).organization_id == unoda.id
    assert _count(Organization) == 1


def test_registering_for_the_government_of_a_state_files_the_state(client, app_ctx):
    event = make_event(status=OPEN)
    response = client.post(f"/events/{event.slug}/register",
                           data=FORM | {"organization_name": "Government of Viet Nam",
                                        "organization_kind": "government", "organization_country": ""})
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert (registration.organization.kind, registration.organization.name, registration.state) == (
        OrganizationKind.STATE, "Viet Nam", "VN")
