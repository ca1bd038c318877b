"""The participant area's rules: who may enter, documents, posts, and a person's own data."""

from __future__ import annotations

from pathlib import Path

from flask import render_template
from sqlalchemy import exists, func, select

from eventmgr.agenda.enums import SessionRoleKind
from eventmgr.agenda.models import AgendaSession, SessionRole
from eventmgr.auth.models import User
from eventmgr.errors import DomainError, InvalidTransition
from eventmgr.extensions import db
from eventmgr.invitations.models import Invitation
from eventmgr.links import external_url
from eventmgr.mail.models import Message
from eventmgr.mail.service import queue_message
from eventmgr.portal import files
from eventmgr.portal.enums import DataRequestKind, DataRequestStatus, PostKind
from eventmgr.portal.models import DataRequest, Document, Post
from eventmgr.registry.enums import Attendance, RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow

SPEAKING_ROLES = (SessionRoleKind.SPEAKER, SessionRoleKind.PANELIST, SessionRoleKind.CHAIR,
                  SessionRoleKind.MODERATOR)
MAX_POST_LENGTH = 10_000


def _is_member(person_id: int | None, event: Event) -> bool:
    if person_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Registration.event_id == event.id, Registration.person_id == person_id,
        (Registration.status == RegistrationStatus.CONFIRMED)
        | (Registration.attendance == Attendance.ATTENDED)))))


def can_enter_area(user, event: Event) -> bool:
    """Staff, and people whose registration at this event is confirmed (or who attended)."""
    if user is None or not user.is_authenticated:
        return False
    return user.manages(event.series_id) or _is_member(user.person_id, event)


def can_upload(user, event: Event, session: AgendaSession | None) -> bool:
    """Staff for the whole event; speakers, chairs and moderators for their own sessions."""
    if user.manages(event.series_id):
        return True
    if session is None or session.event_id != event.id or user.person_id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        SessionRole.session_id == session.id, SessionRole.person_id == user.person_id,
        SessionRole.role.in_(SPEAKING_ROLES)))))


def upload_document(event: Event, *, uploader: User, filename: str, data: bytes, upload_dir: Path,
                    max_bytes: int, session: AgendaSession | None = None) -> Document:
    """Check the file by its content, then store it; nothing is written when it is refused."""
    if session is not None and session.event_id != event.id:
        raise DomainError("This session belongs to another event.", field="session_id")
    if not can_upload(uploader, event, session):
        raise DomainError("You may upload documents only for your own sessions.", field="session_id")
    name, content_type = files.check_upload(filename, data, max_bytes=max_bytes)
    document = Document(event_id=event.id, session_id=session.id if session else None,
                        uploader_id=uploader.id, original_name=name, content_type=content_type,
                        size=len(data), stored_name=files.store(upload_dir, data))
    db.session.add(document)
    db.session.flush()
    return document


def create_post(event: Event, *, author: User, body: str, kind: PostKind = PostKind.POST,
                parent: Post | None = None) -> Post:
    """A post or reply; an announcement (staff only) is mailed to every confirmed registrant."""
    body = (body or "").strip()
    if not body:
        raise DomainError("Write a message.", field="body")
    if len(body) > MAX_POST_LENGTH:
        raise DomainError(f"Keep the message under {MAX_POST_LENGTH} characters.", field="body")
    if kind is PostKind.ANNOUNCEMENT and not author.manages(event.series_id):
        raise DomainError("Only organizers make announcements.", field="kind")
    if parent is not None and (parent.event_id != event.id or parent.parent_id is not None):
        raise DomainError("Reply to a post of this event.", field="body")
    post = Post(event_id=event.id, author_id=author.id, body=body,
                kind=PostKind.POST if parent is not None else kind,
                parent_id=parent.id if parent else None)
    db.session.add(post)
    db.session.flush()
    if post.kind is PostKind.ANNOUNCEMENT:
        _mail_announcement(event, post)
    return post


def _announcement_addresses(event: Event):
    return (select(Person.email).join(Registration, Registration.person_id == Person.id)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))


def announcement_recipients(event: Event) -> int:
    """How many an announcement would be mailed to (1 query)."""
    return db.session.scalar(select(func.count()).select_from(_announcement_addresses(event).subquery()))


def _mail_announcement(event: Event, post: Post) -> None:
    recipients = db.session.scalars(_announcement_addresses(event).order_by(Person.id)).all()
    body = render_template("emails/portal_announcement.txt", event=event, post=post,
                           posts_url=external_url("portal.posts", slug=event.slug))
    for email in recipients:
        queue_message(kind="portal_announcement", recipient=email, subject=f"Announcement: {event.title}",
                      body_text=body, event_id=event.id)


def set_listing(event: Event, person_id: int | None, *, listed: bool, share_contact: bool) -> Registration:
    """The person's choice for this event's directory; contact details only ever shown when listed."""
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == person_id))
    if registration is None:
        raise DomainError("Only registered participants appear in the directory.", field="listed")
    registration.consent_to_list = listed
    registration.share_contact = listed and share_contact
    db.session.flush()
    return registration


# ---------------------------------------------------------------- own data

def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_person_data(person: Person) -> dict:
    """Everything held on the person, as JSON-ready data."""
    user = db.session.scalar(select(User).where(User.person_id == person.id))
    registrations = db.session.scalars(select(Registration).where(
        Registration.person_id == person.id).order_by(Registration.id)).all()
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.person_id == person.id).order_by(Invitation.id)).all()
    messages = db.session.scalars(select(Message).where(
        Message.recipient == person.email).order_by(Message.id)).all()
    posts = documents = []
    if user is not None:
        posts = db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id)).all()
        documents = db.session.scalars(select(Document).where(
            Document.uploader_id == user.id).order_by(Document.id)).all()
    return {
        "person": {"honorific": person.honorific, "given_name": person.given_name,
                   "family_name": person.family_name, "email": person.email, "position": person.position,
                   "organization": person.organization.name if person.organization else None,
                   "country": person.country, "consent_to_list": person.consent_to_list,
                   "created_at": _iso(person.created_at)},
        "account": None if user is None else {"email": user.email, "role": user.role.value,
                                              "created_at": _iso(user.created_at),
                                              "last_login_at": _iso(user.last_login_at)},
        "registrations": [{
            "event": r.event.title, "event_slug": r.event.slug, "status": r.status.value,
            "role": r.role.value, "organization": r.organization.name if r.organization else None,
            "state": r.state, "attendance": r.attendance.value if r.attendance else None,
            "dietary_needs": r.dietary_needs, "access_needs": r.access_needs,
            "visa_letter": r.visa_letter, "consent_to_list": r.consent_to_list,
            "share_contact": r.share_contact, "registered_at": _iso(r.registered_at)}
            for r in registrations],
        "invitations": [{"event": i.event.title, "status": i.status.value, "sent_at": _iso(i.sent_at),
                         "answered_at": _iso(i.answered_at)} for i in invitations],
        "messages": [{"kind": m.kind, "subject": m.subject, "body": m.body_text,
                      "created_at": _iso(m.created_at)} for m in messages],
        "posts": [{"event_id": p.event_id, "kind": p.kind.value, "body": p.body,
                   "created_at": _iso(p.created_at)} for p in posts],
        "documents": [{"event_id": d.event_id, "name": d.original_name, "size": d.size,
                       "created_at": _iso(d.created_at)} for d in documents],
    }


def request_deletion(person: Person) -> DataRequest:
    """Ask the organizers to delete the person's data; one open request at a time."""
    open_request = db.session.scalar(select(DataRequest).where(
        DataRequest.person_id == person.id, DataRequest.kind == DataRequestKind.DELETION,
        DataRequest.status == DataRequestStatus.REQUESTED))
    if open_request is not None:
        return open_request
    data_request = DataRequest(person_id=person.id, kind=DataRequestKind.DELETION)
    db.session.add(data_request)
    db.session.flush()
    return data_request


def decide_request(data_request: DataRequest, *, actor: User, approve: bool) -> DataRequest:
    """Approve (anonymising the person) or reject an open deletion request."""
    if data_request.status is not DataRequestStatus.REQUESTED:
        raise InvalidTransition("This request was decided already.")
    data_request.status = DataRequestStatus.APPROVED if approve else DataRequestStatus.REJECTED
    data_request.decided_by_id = actor.id
    data_request.decided_at = utcnow()
    if approve:
        anonymise_person(data_request.person)
    db.session.flush()
    return data_request


def anonymise_person(person: Person) -> None:
    """Remove what identifies the person; registrations and their snapshots stay for the counts."""
    placeholder = f"deleted-{person.id}@deleted.invalid"
    person.honorific, person.given_name, person.family_name = "", "Deleted", "participant"
    person.email = person.email_key = placeholder
    person.position = ""
    person.consent_to_list = False
    for registration in db.session.scalars(select(Registration).where(Registration.person_id == person.id)):
        registration.consent_to_list = registration.share_contact = False
        registration.dietary_needs = registration.access_needs = ""
    user = db.session.scalar(select(User).where(User.person_id == person.id))
    if user is not None:
        user.active = False
        user.email = placeholder
        user.password_hash = None
    db.session.flush()
