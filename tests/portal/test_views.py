"""The participant area: who may enter, documents, directory, posts, own data."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.agenda.models import SessionRole
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.auth.models import User
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from eventmgr.portal import service
from eventmgr.portal.enums import DataRequestStatus
from eventmgr.portal.models import DataRequest, Document, Post
from eventmgr.registry import registration
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enums import OrganizationKind
from eventmgr.series.enums import EventStatus
from tests.builders import make_agenda_session, make_event, make_organization, make_person
from tests.conftest import PASSWORD as STAFF_PASSWORD

PASSWORD = "participant password"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def organizer(app_ctx, users) -> User:
    return db.session.get(User, users[Role.ORGANIZER])


def member(event, organizer, email: str, *, organization=None, consent: bool = False,
           share: bool = False) -> User:
    """A confirmed registrant of `event` with an account that has a password."""
    person = make_person(email, organization=organization)
    reg = registration.register_participant(event, person=person, organization=organization, actor=organizer,
                                            notify=False, consent_to_list=consent)
    reg.share_contact = share
    user = auth_service.create_user(email, role=Role.PARTICIPANT, password=PASSWORD, person_id=person.id)
    db.session.commit()
    return user


def login(client, email: str) -> None:
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302


def upload(client, slug: str, name: str, data: bytes, session_id: int = 0):
    return client.post(f"/events/{slug}/area/documents", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "session_id": str(session_id)})


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_anonymous_visitors_go_to_the_login_page_and_strangers_get_403(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    other = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(other, organizer, "elsewhere@example.org")
    response = client.get(f"/events/{event.slug}/area")
    assert (response.status_code, response.location) == (
        302, f"/auth/login?next=%2Fevents%2F{event.slug}%2Farea")
    login(client, "elsewhere@example.org")
    for page in ("area", "area/documents", "area/directory", "area/posts"):
        assert client.get(f"/events/{event.slug}/{page}").status_code == 403
        assert client.get(f"/events/{other.slug}/{page}").status_code == 200


def staff_login(client, organizer) -> None:
    assert client.post("/auth/login", data={"email": organizer.email,
                                            "password": STAFF_PASSWORD}).status_code == 302


def test_a_participant_cannot_reach_another_events_documents_or_posts_by_changing_ids(app, client, organizer):
    event_a = make_event(status=EventStatus.REGISTRATION_OPEN)
    event_b = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event_a, organizer, "a@example.org")
    staff_login(client, organizer)
    assert upload(client, event_b.slug, "secret.pdf", PDF).status_code == 302
    client.post(f"/events/{event_b.slug}/area/posts", data={"body": "For B only"})
    client.post("/auth/logout")
    document_b = db.session.scalar(select(Document))
    post_b = db.session.scalar(select(Post))
    login(client, "a@example.org")

    assert client.get(f"/events/{event_a.slug}/area/documents/{document_b.id}").status_code == 404
    assert client.get(f"/events/{event_b.slug}/area/documents/{document_b.id}").status_code == 403
    assert client.post(f"/events/{event_a.slug}/area/posts/{post_b.id}/replies",
                       data={"body": "sneaky"}).status_code == 404
    assert client.get(f"/events/{event_b.slug}/area/directory").status_code == 403
    assert client.get(f"/events/{event_b.slug}/area/posts").status_code == 403
    assert b"For B only" not in client.get(f"/events/{event_a.slug}/area/posts").data
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_download_is_an_attachment_with_the_original_name_and_nosniff(app, client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event, organizer, "a@example.org")
    staff_login(client, organizer)
    assert upload(client, event.slug, "Programme 2014.pdf", PDF).status_code == 302
    client.post("/auth/logout")
    login(client, "a@example.org")
    document = db.session.scalar(select(Document))
    response = client.get(f"/events/{event.slug}/area/documents/{document.id}")
    assert (response.status_code, response.data, response.mimetype) == (200, PDF, "application/pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="Programme 2014.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert [path.name for path in stored_files(app)] == [document.stored_name]


@pytest.mark.parametrize(("name", "data", "error"), [
    ("slides.pdf", b"<html><script>alert(1)</script></html>", b"not a PDF document"),
    ("report.docx", office("xl/"), b"not a DOCX document"),
    ("notes.txt", b"plain text", b"Upload a PDF, DOCX, PPTX or XLSX file."),
    ("../../etc/passwd.pdf", PDF, b"without folders"),
    ("..\\evil.pdf", PDF, b"without folders"),
    ("big.pdf", PDF + b"0" * 2048, b"larger than the limit"),
])
def test_refused_uploads_store_nothing(make_app, users, name, data, error):
    app = make_app(UPLOAD_MAX_BYTES=1024)
    client = app.test_client()
    with app.app_context():
        # the users fixture filled another app's database: make this one's organizer
        auth_service.create_user("boss@example.org", role=Role.ORGANIZER, password=STAFF_PASSWORD)
        event = make_event(status=EventStatus.REGISTRATION_OPEN)
        db.session.commit()
        client.post("/auth/login", data={"email": "boss@example.org", "password": STAFF_PASSWORD})
        response = upload(client, event.slug, name, data)
        assert response.status_code == 400
        assert error in response.data
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0
        assert stored_files(app) == []


def test_office_documents_are_recognised_by_their_content(app, client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    staff_login(client, organizer)
    for name, folder in (("a.docx", "word/"), ("b.pptx", "ppt/"), ("c.xlsx", "xl/")):
        assert upload(client, event.slug, name, office(folder)).status_code == 302
    assert db.session.scalars(select(Document.original_name).order_by(Document.id)).all() == [
        "a.docx", "b.pptx", "c.xlsx"]


def test_speakers_upload_for_their_own_sessions_only(app, client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    speaker = member(event, organizer, "speaker@example.org")
    own = make_agenda_session(event, "Own panel")
    other = make_agenda_session(event, "Other panel", hour=11)
    db.session.add(SessionRole(session_id=own.id, person_id=speaker.person_id, role=SessionRoleKind.SPEAKER))
    db.session.commit()
    login(client, "speaker@example.org")
    assert upload(client, event.slug, "talk.pdf", PDF, session_id=own.id).status_code == 302
    assert upload(client, event.slug, "talk.pdf", PDF, session_id=other.id).status_code == 400
    assert upload(client, event.slug, "talk.pdf", PDF).status_code == 400
    assert db.session.scalars(select(Document.session_id)).all() == [own.id]


def test_directory_lists_only_consenting_people_and_contacts_only_when_shared(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event, organizer, "hidden@example.org")
    member(event, organizer, "listed@example.org", consent=True)
    member(event, organizer, "open@example.org", consent=True, share=True)
    staff_login(client, organizer)  # a participant's own email would show in the page header
    page = client.get(f"/events/{event.slug}/area/directory").data
    assert b"hidden@example.org" not in page
    assert b"listed@example.org" not in page
    assert b"mailto:open@example.org" in page
    shown = {user.email: user.person.display_name.encode() in page
             for user in db.session.scalars(select(User).where(User.person_id.is_not(None)))}
    assert shown == {"hidden@example.org": False, "listed@example.org": True, "open@example.org": True}


def test_a_script_in_a_post_is_neutralised_and_replies_show_under_their_post(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event, organizer, "a@example.org")
    login(client, "a@example.org")
    body = "Hello **all** <script>alert('x')</script> [x](javascript:alert(1))"
    assert client.post(f"/events/{event.slug}/area/posts", data={"body": body}).status_code == 302
    message = db.session.scalar(select(Post))
    client.post(f"/events/{event.slug}/area/posts/{message.id}/replies", data={"body": "Thanks"})
    page = client.get(f"/events/{event.slug}/area/posts").data.decode()
    assert ("<p>Hello <strong>all</strong> &lt;script&gt;alert('x')&lt;/script&gt; "
            "[x](javascript:alert(1))</p>") in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert db.session.scalars(select(Post.parent_id).order_by(Post.id)).all() == [None, message.id]


def test_announcements_are_staff_only_and_mailed_to_every_confirmed_registrant(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event, organizer, "a@example.org")
    member(event, organizer, "b@example.org")
    login(client, "a@example.org")
    response = client.post(f"/events/{event.slug}/area/posts", data={"body": "Hi", "announcement": "y"})
    assert (response.status_code, db.session.scalar(select(func.count()).select_from(Post))) == (400, 0)
    client.post("/auth/logout")
    staff_login(client, organizer)
    client.post(f"/events/{event.slug}/area/posts", data={"body": "Bus at 8:00", "announcement": "y"})
    messages = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.kind, m.recipient) for m in messages] == [
        ("portal_announcement", "a@example.org"), ("portal_announcement", "b@example.org")]
    assert "Bus at 8:00" in messages[0].body_text


def test_export_and_anonymisation_leave_the_composition_unchanged(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    ministry = make_organization("Ministry", kind=OrganizationKind.GOVERNMENT, country="DE")
    user = member(event, organizer, "gone@example.org", organization=ministry, consent=True, share=True)
    member(event, organizer, "stays@example.org", organization=make_organization("Siemens AG", country="DE"))
    before = compute_composition(event)
    login(client, "gone@example.org")
    client.post(f"/events/{event.slug}/area/posts", data={"body": "Mine"})

    export = json.loads(client.get("/me/data.json").data)
    assert export["person"]["email"] == "gone@example.org"
    assert [(r["event_slug"], r["status"], r["organization"]) for r in export["registrations"]] == [
        (event.slug, "confirmed", "Ministry")]
    assert [p["body"] for p in export["posts"]] == ["Mine"]
    assert compute_composition(event) == before

    client.post("/me/data/deletion")
    client.post("/auth/logout")
    data_request = db.session.scalar(select(DataRequest))
    staff_login(client, organizer)
    assert client.post(f"/events/{event.slug}/area/requests/{data_request.id}",
                       data={"decision": "approve"}).status_code == 302
    db.session.expire_all()
    person = user.person
    assert (person.full_name, person.email, person.position, person.consent_to_list) == (
        "Deleted participant", f"deleted-{person.id}@deleted.invalid", "", False)
    assert (user.active, data_request.status) == (False, DataRequestStatus.APPROVED)
    assert compute_composition(event) == before
    assert client.post("/auth/logout").status_code == 302
    assert client.post("/auth/login", data={"email": "gone@example.org",
                                            "password": PASSWORD}).status_code == 400


@pytest.mark.parametrize("size", [2, 6])
def test_area_lists_run_a_fixed_number_of_queries(app, client, organizer, count_queries, size):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    session = make_agenda_session(event, "Panel")
    for n in range(size):
        user = member(event, organizer, f"p{n}@example.org", consent=True, share=n % 2 == 0)
        parent = service.create_post(event, author=user, body=f"Post {n}")
        service.create_post(event, author=organizer, body=f"Reply {n}", parent=parent)
        service.upload_document(event, uploader=organizer, filename=f"doc{n}.pdf", data=PDF,
                                upload_dir=Path(app.instance_path) / "uploads", max_bytes=1024,
                                session=session if n % 2 else None)
    db.session.commit()
    staff_login(client, organizer)
    counts = []
    for page, marker, shown in (("documents", ".pdf</a>", size), ("directory", "@example.org</a>", size // 2),
                                ("posts", "<p>Reply ", size)):
        with count_queries() as statements:
            response = client.get(f"/events/{event.slug}/area/{page}")
        assert response.get_data(as_text=True).count(marker) == shown
        counts.append(len(statements))
    # documents: event (twice), sessions for the upload form, documents, the user's series rights
    # (loaded with the session row in production; here the test's shared context reloads them);
    # directory: event, own entry, registrants; posts: event, posts, their replies, and (for
    # organizers) how many an announcement would mail
    assert counts == [5, 3, 4]


def test_participants_choose_their_directory_entry(client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    user = member(event, organizer, "a@example.org")
    login(client, "a@example.org")
    client.post(f"/events/{event.slug}/area/directory", data={"share_contact": "y"})
    reg = db.session.scalar(select(registration.Registration))
    assert (reg.consent_to_list, reg.share_contact) == (False, False)
    client.post(f"/events/{event.slug}/area/directory", data={"listed": "y", "share_contact": "y"})
    db.session.expire_all()
    assert (reg.consent_to_list, reg.share_contact, reg.person_id) == (True, True, user.person_id)


def test_a_document_whose_file_is_missing_gets_a_clear_404(app, client, organizer):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    member(event, organizer, "a@example.org")
    staff_login(client, organizer)
    upload(client, event.slug, "Programme 2014.pdf", PDF)
    document = db.session.scalar(select(Document))
    for path in stored_files(app):
        path.unlink()  # as after restoring a database without its uploads folder

    response = client.get(f"/events/{event.slug}/area/documents/{document.id}")

    assert response.status_code == 404
    assert "This document&#39;s file is missing on the server" in response.get_data(as_text=True)


def test_the_announcement_box_says_how_many_it_mails(client, auth, app_ctx):
    event = make_event(status=EventStatus.REGISTRATION_OPEN)
    for _ in range(3):
        registration.register_participant(event, person=make_person())
    db.session.commit()
    auth.login(Role.ORGANIZER)

    page = client.get(f"/events/{event.slug}/area/posts").get_data(as_text=True)

    assert "Announcement: also email it to the 3 confirmed participants" in page
