"""Visa-support letters and certificates of attendance: who gets one, what it says, mailing."""

from email import policy
from email.parser import BytesParser

from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.extensions import db
from eventmgr.letters import service
from eventmgr.letters.enums import LetterKind
from eventmgr.mail.models import Message
from eventmgr.mail.sender import build_email
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import OrganizationKind
from eventmgr.registry.registration import cancel_registration, check_in, register_participant
from eventmgr.series.enums import EventStatus
from tests.builders import make_event, make_organization, make_person, record_participant
from tests.documents.readback import assert_un_document, read

PAGE_BREAK = 'w:type="page"'


def _event_with_participants():
    event = make_event(status=EventStatus.REGISTRATION_OPEN, venue_name="Conference centre")
    office = make_organization("Ministry of External Affairs", kind=OrganizationKind.GOVERNMENT, country="IN")
    asking = registry_service.create_person(email="priya@example.org", given_name="Priya Devi",
                                            family_name="Iyer", honorific="Dr.", country="IN",
                                            position="Director", organization=office)
    other = registry_service.create_person(email="lars@example.org", given_name="Lars", family_name="Berg",
                                           country="SE")
    organizer = auth_service.create_user("letters@example.org", role=Role.ORGANIZER,
                                         password="a long enough password")
    visa = register_participant(event, person=asking, organization=office, visa_letter=True, actor=organizer,
                                notify=False)
    plain = record_participant(event, None, person=other)
    cancelled = register_participant(event, person=make_person(), visa_letter=True, actor=organizer,
                                     notify=False)
    cancel_registration(cancelled, actor=organizer)
    service.save_letterhead(event, issuer="Federal Foreign Office",
                            address="Werderscher Markt 1\n10117 Berlin", contact="conference@example.org",
                            place="Berlin", signatory_name="Dr. Anna Berger",
                            signatory_function="Head of Division\nNon-proliferation",
                            visa_addressee="To the Embassy concerned")
    db.session.commit()
    return event, visa, plain, cancelled


def test_visa_letters_for_confirmed_registrations_that_asked(app_ctx):
    event, visa, _plain, _cancelled = _event_with_participants()

    assert service.recipients(event, LetterKind.VISA) == [visa]
    document = read(service.render(event, LetterKind.VISA, [visa]))

    assert_un_document(document, furniture=False)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["Federal Foreign Office",
                         "Werderscher Markt 1\n10117 Berlin\nconference@example.org"]
    assert texts[2].startswith("Berlin, ")
    assert texts[3:5] == ["To the Embassy concerned",
                          "Letter in support of a visa application: IYER, Priya Devi"]
    assert texts[5].startswith("This is to confirm that the person named below is registered as a "
                               f"participant in “{event.title}”")
    assert "at the Conference centre, Frankfurt am Main, Germany, on 20 and 21 November 2014" in texts[5]
    details = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert details == {"Surname": "IYER", "Given names": "Priya Devi", "Nationality": "India",
                       "Organization": "Ministry of External Affairs", "Function": "Director",
                       "Dates of the conference": "20 and 21 November 2014",
                       "Venue": "The Conference centre, Frankfurt am Main, Germany"}
    assert texts[-1] == "Dr. Anna Berger\nHead of Division\nNon-proliferation"


def test_a_detail_not_recorded_is_left_out(app_ctx):
    event, *_ = _event_with_participants()
    registration = register_participant(event, person=make_person(), visa_letter=True,
                                        actor=auth_service.get_user_by_email("letters@example.org"),
                                        notify=False)

    document = read(service.render(event, LetterKind.VISA, [registration]))

    labels = [row.cells[0].text for row in document.tables[0].rows]
    assert "Nationality" not in labels and "Organization" not in labels and "Function" not in labels


def test_certificates_for_those_checked_in_one_page_each(app_ctx):
    event, visa, plain, _cancelled = _event_with_participants()
    check_in(visa)
    check_in(plain)
    db.session.commit()

    recipients = service.recipients(event, LetterKind.CERTIFICATE)
    document = read(service.render(event, LetterKind.CERTIFICATE, recipients))

    assert [r.person.family_name for r in recipients] == ["Berg", "Iyer"]
    assert document.element.xml.count(PAGE_BREAK) == 1
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts.count("Certificate of attendance") == 2
    assert "Dr. Priya Devi Iyer" in texts
    assert f"attended “{event.title}” on the theme “Compliance”, held at the Conference centre, Frankfurt " \
           "am Main, Germany, on 20 and 21 November 2014." in texts


def test_letters_are_mailed_as_attachments_through_the_outbox(app, app_ctx):
    event, visa, *_ = _event_with_participants()

    assert service.queue_letters(event, LetterKind.VISA, [visa]) == 1
    db.session.commit()
    message = db.session.query(Message).filter_by(kind="visa-letter").one()
    email = build_email(message, "Conference <conference@example.org>", domain="example.org")
    parsed = BytesParser(policy=policy.default.clone(raise_on_defect=True)).parsebytes(email.as_bytes())

    assert message.recipient == "priya@example.org"
    assert message.subject == f"Visa-support letter: {event.title}"
    attachments = list(parsed.iter_attachments())
    assert [(a.get_filename(), a.get_content_type()) for a in attachments] == [
        ("visa-letter.pdf", "application/pdf")]
    assert attachments[0].get_content().startswith(b"%PDF")


def test_letters_page_and_downloads(app, client, auth):
    with app.app_context():
        event, visa, *_ = _event_with_participants()
        slug, registration_id = event.slug, visa.id
    auth.login("organizer")

    page = client.get(f"/events/{slug}/letters").get_data(as_text=True)
    single = client.get(f"/events/{slug}/letters/visa/{registration_id}.docx")
    batch = client.get(f"/events/{slug}/letters/certificate.pdf")
    refused = client.get(f"/events/{slug}/letters/visa/999999.docx")
    mailed = client.post(f"/events/{slug}/letters/visa/mail", data={"registration_id": registration_id})

    assert "Visa-support letters" in page and "IYER</bdi>, <bdi>Priya Devi" in page
    assert single.status_code == 200
    assert read(single.data).tables[0].rows[0].cells[1].text == "IYER"
    assert batch.status_code == 200 and batch.mimetype == "application/pdf"
    assert refused.status_code == 404
    assert mailed.status_code == 302
    with app.app_context():
        assert db.session.query(Message).filter_by(kind="visa-letter").count() == 1


def test_letterhead_form_keeps_lines(app, client, auth):
    with app.app_context():
        event, *_ = _event_with_participants()
        slug = event.slug
    auth.login("organizer")

    saved = client.post(f"/events/{slug}/letters/letterhead", data={
        "issuer": "  Federal   Foreign Office ", "address": "Line one\nLine two", "place": "Bonn"})
    refused = client.post(f"/events/{slug}/letters/letterhead", data={"issuer": ""})

    assert saved.status_code == 302 and refused.status_code == 400
    with app.app_context():
        letterhead = service.letterhead_of(event)
        assert (letterhead.issuer, letterhead.address, letterhead.place) == (
            "Federal Foreign Office", "Line one\nLine two", "Bonn")
