"""Which participants get which letter, the letterhead, and mailing the letters.

A visa-support letter goes to a confirmed registration that asked for one; a certificate
of attendance to a registration checked in (or marked attended). Functions flush, never commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from eventmgr.documents import pdf
from eventmgr.documents.download import DOCX_TYPE
from eventmgr.documents.meta import organizing_office
from eventmgr.errors import NotFound
from eventmgr.extensions import db
from eventmgr.letters import docx as letters_docx
from eventmgr.letters.enums import LetterKind
from eventmgr.letters.models import Letterhead
from eventmgr.mail.service import queue_message
from eventmgr.registry.enums import Attendance, RegistrationStatus
from eventmgr.registry.models import Person, Registration
from eventmgr.series.models import Event

LETTERHEAD_FIELDS = ("issuer", "address", "contact", "place", "signatory_name", "signatory_function",
                     "visa_addressee")


def letterhead_of(event: Event) -> Letterhead:
    """The event's letterhead, or (unsaved) one naming the organizing office."""
    return db.session.get(Letterhead, event.id) or Letterhead(
        event_id=event.id, issuer=organizing_office(event), address="", contact="", place="",
        signatory_name="", signatory_function="", visa_addressee="")


def save_letterhead(event: Event, **fields: str) -> Letterhead:
    letterhead = db.session.get(Letterhead, event.id) or Letterhead(event_id=event.id)
    for name in LETTERHEAD_FIELDS:
        value = (fields.get(name) or "").strip()
        setattr(letterhead, name, value if "\n" in value else " ".join(value.split()))
    db.session.add(letterhead)
    db.session.flush()
    return letterhead


def _eligible(kind: LetterKind):
    if kind is LetterKind.VISA:
        return (Registration.visa_letter.is_(True), Registration.status == RegistrationStatus.CONFIRMED)
    return (or_(Registration.checked_in_at.is_not(None), Registration.attendance == Attendance.ATTENDED),
            Registration.status != RegistrationStatus.CANCELLED)


def _recipients(event: Event, kind: LetterKind):
    return (select(Registration).join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event.id, *_eligible(kind))
            .options(joinedload(Registration.person), joinedload(Registration.organization)))


def recipients(event: Event, kind: LetterKind) -> list[Registration]:
    """The registrations that get `kind`, by family name, with person and organization (1 query)."""
    return list(db.session.scalars(_recipients(event, kind)
                                   .order_by(Person.family_name, Person.given_name, Registration.id)))


def recipient(event: Event, kind: LetterKind, registration_id: int) -> Registration:
    """One recipient's registration (1 query, not the whole list)."""
    found = db.session.scalar(_recipients(event, kind).where(Registration.id == registration_id))
    if found is None:
        raise NotFound(f"This registration gets no {kind.label.lower()}.")
    return found


def render(event: Event, kind: LetterKind, registrations: list[Registration], *,
           today: dt.date | None = None) -> bytes:
    """One DOCX holding a letter per registration, each on its own page."""
    return letters_docx.render_letters(event, letterhead_of(event), kind, registrations,
                                       today=today or dt.date.today())


def queue_letters(event: Event, kind: LetterKind, registrations: list[Registration], *,
                  today: dt.date | None = None) -> int:
    """Each letter mailed to its participant as a PDF attachment (the DOCX if no converter is
    installed), written to the outbox in the caller's transaction; returns how many."""
    documents = [render(event, kind, [registration], today=today) for registration in registrations]
    try:
        files = [(f"{kind.file_stem}.pdf", pdf.PDF_TYPE, body) for body in pdf.docx_to_pdf_many(documents)]
    except pdf.PdfUnavailable:
        files = [(f"{kind.file_stem}.docx", DOCX_TYPE, body) for body in documents]
    issuer = letterhead_of(event).issuer
    for registration, attachment in zip(registrations, files, strict=True):
        person = registration.person
        queue_message(
            kind=kind.file_stem, recipient=person.email, event_id=event.id,
            subject=f"{kind.label}: {event.title}",
            body_text=(f"Dear {person.display_name},\n\nPlease find attached your {kind.label.lower()} for "
                       f"{event.title}.\n\n{issuer}\n"),
            attachments=[attachment])
    db.session.flush()
    return len(registrations)
