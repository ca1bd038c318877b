"""Invitation lists, sending and reminders, and the invitee's answers through the RSVP link."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import insert, select

from eventmgr import tabular
from eventmgr.defuse import defuse_links
from eventmgr.errors import Conflict, DomainError
from eventmgr.extensions import db
from eventmgr.invitations import held
from eventmgr.invitations.deadlines import answer_open
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.models import Invitation, InvitationTemplate
from eventmgr.invitations.tokens import hash_token, new_token
from eventmgr.links import external_url
from eventmgr.mail import calendar
from eventmgr.mail.service import calendar_entry, calendar_organizer, queue_messages
from eventmgr.registry import imports, registration
from eventmgr.registry import service as directory
from eventmgr.registry.enclosure import counted_registrations_filter
from eventmgr.registry.enums import OrganizationKind, Sector
from eventmgr.registry.models import Organization, OrganizationSector, Person, Registration
from eventmgr.series.models import Event
from eventmgr.sqltypes import utcnow
from eventmgr.templating import counted, date_range, long_date

DEFAULT_SUBJECT = "Invitation: {event}"
DEFAULT_BODY = (
    "Dear {name},\n\n"
    "We have the pleasure of inviting you to {event}, {dates}, {venue}.{delegation}\n\n"
    "Please answer by {deadline} through your personal link:\n{link}\n\n"
    "The link is personal: please do not forward it."
)
REMINDER_PREFIX = "Reminder: "
PLACEHOLDERS = ("name", "organization", "event", "dates", "venue", "link", "deadline", "delegation")
MAX_SEATS = 50
ANSWERS = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.TENTATIVE)
UNANSWERED = (InvitationStatus.SENT,)


class AnswerClosed(DomainError):
    """The answer deadline has passed, or the invitee has already registered."""


# ---------------------------------------------------------------- the list

def invite_people(event: Event, people: Iterable[Person]) -> list[Invitation]:
    """Invite each person not yet invited to the event; returns the new invitations.

    One INSERT for all (the ORM would flush them one by one on SQLite), then one SELECT.
    A person whose invitation was removed from the list gets it back as it was.
    """
    db.session.flush()
    existing = dict(db.session.execute(select(Invitation.person_id, Invitation.removed_at)
                                       .where(Invitation.event_id == event.id)).all())
    new, revived = [], []
    for person in people:
        if person.id not in existing:
            existing[person.id] = None
            new.append(person)
        elif existing[person.id] is not None:
            existing[person.id] = None
            revived.append(person)
    if not new and not revived:
        return []
    if new:
        db.session.execute(insert(Invitation), [{"event_id": event.id, "person_id": person.id}
                                                for person in new])
    by_person = {invitation.person_id: invitation for invitation in db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id))}
    for person in revived:
        by_person[person.id].removed_at = None
    db.session.flush()
    return [by_person[person.id] for person in (*new, *revived)]


def invite_organization(event: Event, organization: Organization, *, seats: int,
                        contact: Person) -> Invitation:
    """Invite an organization with a number of seats; its contact names the delegates through the link."""
    if not 1 <= seats <= MAX_SEATS:
        raise DomainError(f"Give between 1 and {MAX_SEATS} seats.", field="seats")
    taken = db.session.scalars(select(Invitation).where(
        Invitation.event_id == event.id,
        (Invitation.organization_id == organization.id) | (Invitation.person_id == contact.id))).all()
    for removed in [invitation for invitation in taken if invitation.removed_at is not None]:
        # Taken off the list before: the new invitation replaces it.
        db.session.delete(removed)
        taken.remove(removed)
    db.session.flush()
    if any(invitation.organization_id == organization.id for invitation in taken):
        raise Conflict(f"{organization.name} is already invited to this event.", field="organization_id")
    if taken:
        raise Conflict(f"{contact.full_name} is already invited to this event: name another contact.",
                       field="contact_email")
    invitation = Invitation(event=event, person=contact, organization=organization, seats=seats)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def change_seats(invitation: Invitation, seats: int) -> None:
    """More or fewer seats for an invited organization, never fewer than the delegates it has named.

    Counted under the event lock, as when the contact names a delegate, so the two cannot cross.
    """
    if invitation.organization_id is None:
        raise DomainError("Only an organization's invitation has seats.")
    if not 1 <= seats <= MAX_SEATS:
        raise DomainError(f"Give between 1 and {MAX_SEATS} seats.", field="seats")
    registration.lock_event(invitation.event)
    named = len(registration.delegates(invitation))
    if seats < named:
        raise Conflict(f"{invitation.organization.name} has named {counted(named, 'delegate')}: withdraw "
                       f"some before leaving {counted(seats, 'seat')}.", field="seats")
    invitation.seats = seats
    db.session.flush()


def find_or_add_contact(organization: Organization, *, email: str, given_name: str = "",
                        family_name: str = "") -> Person:
    """The directory's person with this email, or a new one of the organization when names are given."""
    person = directory.get_person_by_email(email)
    if person is not None:
        return person
    if not (given_name.strip() and family_name.strip()):
        raise DomainError(f"{email.strip()} is not in the directory: give the contact's given and family "
                          "names to add them.", field="contact_given_name")
    return directory.create_person(email=email, given_name=given_name, family_name=family_name,
                                   organization=organization,
                                   country=organization.country or organization.state)


def people_in_directory(*, kind: OrganizationKind | None = None, sector: Sector | None = None,
                        country: str | None = None) -> list[Person]:
    """People whose organization matches the filter, e.g. industry associations of the chemical sector."""
    query = select(Person).join(Organization, Person.organization_id == Organization.id).order_by(Person.id)
    if kind is not None:
        query = query.where(Organization.kind == kind)
    if sector is not None:
        query = query.where(Organization.id.in_(select(OrganizationSector.organization_id)
                                                .where(OrganizationSector.sector == sector)))
    if country:
        query = query.where(Organization.country == country)
    return list(db.session.scalars(query))


def attendees_of(earlier: Event) -> list[Person]:
    """The participants who counted at an earlier event (confirmed, or attended once held)."""
    return list(db.session.scalars(
        select(Person).join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == earlier.id, counted_registrations_filter(earlier))
        .order_by(Person.id)))


def import_invitations(event: Event, data: bytes,
                       filename: str) -> tuple[imports.ImportResult, list[Invitation]]:
    """Invite the people of a CSV/XLSX file (the participant import's columns, without role/status).

    People and organizations are found or created as by the participant import. With
    any error nothing is written; the caller commits, or rolls back for a dry run.
    """
    validation = imports.validate_people(tabular.read_table(data, filename), with_registration=False)
    result = imports.ImportResult(validation)
    if validation.errors:
        return result, []
    applied = imports.apply_directory(validation.rows, result)
    result.applied = True
    return result, invite_people(event, [person for person, _ in applied])


# ---------------------------------------------------------------- the template

def template_for(event: Event) -> InvitationTemplate:
    """The event's stored template, or the default one (not yet stored)."""
    template = db.session.scalar(select(InvitationTemplate).where(InvitationTemplate.event_id == event.id))
    return template or InvitationTemplate(event_id=event.id, subject=DEFAULT_SUBJECT, body=DEFAULT_BODY,
                                          attach_calendar=True)


def save_template(event: Event, *, subject: str, body: str, answer_deadline: dt.date | None,
                  attach_calendar: bool) -> InvitationTemplate:
    if "\r" in subject or "\n" in subject:
        raise DomainError("The subject must be a single line.", field="subject")
    for field, text in (("subject", subject), ("body", body)):
        _check_placeholders(text, field)
    if "{link}" not in body:
        raise DomainError("The body must contain {link}: it is the invitee's way to answer.", field="body")
    template = template_for(event)
    template.subject, template.body = subject.strip(), body
    template.answer_deadline, template.attach_calendar = answer_deadline, attach_calendar
    db.session.add(template)
    db.session.flush()
    return template


def _check_placeholders(text: str, field: str) -> None:
    """Only flat placeholders: {name}, never {name:>5000000} (a format spec), {name!r} or
    {event.__class__} (attribute access), {name[0]} (indexing) or unknown names."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise DomainError(f"Braces must enclose a placeholder name ({error}); write a brace "
                          "itself as {{ or }}.", field=field) from error
    names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            written += "}"
            raise DomainError(f"{written}: a placeholder is its name alone in braces, without "
                              f"“:” or “!”. Use {names}.", field=field)
        if name not in PLACEHOLDERS:
            raise DomainError(f"Unknown placeholder {{{name}}}. Use {names}.", field=field)


def _pieces(text: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) of a template. Formats and conversions are
    ignored and unknown names kept as written, so even a template stored before the rules
    of `_check_placeholders` renders as its plain text."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [(text, None)]
    pieces = []
    for literal, name, _, _ in parsed:
        if name is None or name in PLACEHOLDERS:
            pieces.append((literal, name))
        else:
            pieces.append((literal + "{" + name + "}", None))
    return pieces


def placeholder_values(invitation: Invitation, template: InvitationTemplate, link: str) -> dict[str, str]:
    event = invitation.event
    deadline = template.answer_deadline
    organization = invitation.organization or invitation.person.organization
    return {
        # Free text typed by anyone (e.g. through the public form): never a link in the mail.
        "name": defuse_links(invitation.person.full_name),
        "organization": defuse_links(organization.name) if organization else "",
        "delegation": (f" {organization.name} is invited to send up to {invitation.seats} "
                       f"delegate{'s' if invitation.seats > 1 else ''}: please name them through "
                       "the link below." if invitation.organization else ""),
        "event": event.title,
        "dates": date_range(event.start_date, event.end_date),
        "venue": event.place,
        "link": link,
        "deadline": long_date(deadline) if deadline else "the start of the event",
    }


def render_text(text: str, values: dict[str, str]) -> str:
    return "".join(literal + (values[name] if name else "") for literal, name in _pieces(text))


# Names, isolated in HTML (<bdi>) so a right-to-left one cannot reorder the sentence.
ISOLATED_PLACEHOLDERS = ("name", "organization")


def render_html(text: str, values: dict[str, str]) -> Markup:
    """The body as HTML: the organizer's text and every value escaped; the link clickable."""
    parts = []
    for literal, name in _pieces(text):
        parts.append(escape(literal))
        if name == "link":
            parts.append(Markup('<a href="{0}">{0}</a>').format(values["link"]))
        elif name in ISOLATED_PLACEHOLDERS and values[name]:
            parts.append(Markup("<bdi>{}</bdi>").format(values[name]))
        elif name is not None:
            parts.append(escape(values[name]))
    paragraphs = Markup("").join(parts).split("\n\n")
    return Markup("\n").join(Markup("<p>{}</p>").format(p.replace("\n", Markup("<br>\n")))
                             for p in paragraphs)


def preview(event: Event, template: InvitationTemplate) -> tuple[str, str, Markup]:
    """Subject, text and HTML as a sample invitee would get them."""
    sample = Invitation(event=event, person=Person(given_name="Ada", family_name="Example",
                                                  email="ada@example.org"))
    # A link of the very form invitees get, under the configured base address (its token is
    # a fresh one that was never stored, so it opens nothing).
    values = placeholder_values(sample, template, external_url("invitations.rsvp", token=new_token()[0]))
    return render_text(template.subject, values), render_text(template.body, values), \
        render_html(template.body, values)


# ---------------------------------------------------------------- sending

@dataclass(frozen=True)
class _Mailing:
    """What every mail of one sending shares, worked out once: the template, the calendar
    entry and the form of the link."""

    template: InvitationTemplate
    organizer: calendar.Organizer
    entry: calendar.CalendarEntry | None
    link_pattern: str

    @classmethod
    def of(cls, event: Event) -> _Mailing:
        template = template_for(event)
        entry = calendar_entry(event) if template.attach_calendar else None
        return cls(template, calendar_organizer(), entry, external_url("invitations.rsvp", token=_TOKEN_SLOT))

    def link(self, token: str) -> str:
        return self.link_pattern.replace(_TOKEN_SLOT, token)


# Stands for the token in the link pattern; tokens are URL-safe, so the link needs no escaping.
_TOKEN_SLOT = "TOKEN-SLOT"


def _queue(mails: list[dict], now: dt.datetime, hold: dt.timedelta) -> None:
    """Queue a mailing at `now`; the outbox sends it once `hold` (the time to undo it) is over."""
    queue_messages([mail | {"created_at": now, "next_attempt_at": now + hold} for mail in mails])


def send_invitations(event: Event, invitations: Sequence[Invitation] | None = None, *,
                     sender: str, hold: dt.timedelta = dt.timedelta(0)) -> list[Invitation]:
    """Queue one mail per invitation not yet sent (all of the event's, or the given ones).

    They are sent at one moment (their `sent_at`), and go out after `hold`: until then
    bulk.undo_sending takes them back.
    """
    if invitations is None:
        invitations = db.session.scalars(
            select(Invitation)
            .where(Invitation.event_id == event.id, Invitation.status == InvitationStatus.DRAFT,
                   Invitation.removed_at.is_(None))
            .order_by(Invitation.id)).all()
    mailing = _Mailing.of(event)
    now = utcnow()
    sent = [invitation for invitation in invitations
            if invitation.status is InvitationStatus.DRAFT and invitation.removed_at is None]
    _queue(_invitation_mails(sent, mailing, kind="invitation"), now, hold)
    for invitation in sent:
        invitation.status = InvitationStatus.SENT
        invitation.sent_at = now
    db.session.flush()
    return sent


def remind(event: Event, invitations: Sequence[Invitation] | None = None, *, sender: str,
           after_days: int = 0, hold: dt.timedelta = dt.timedelta(0)) -> list[Invitation]:
    """Remind invitees who have not answered, if their invitation is at least `after_days` old."""
    if invitations is None:
        invitations = db.session.scalars(
            select(Invitation).where(Invitation.event_id == event.id, Invitation.status.in_(UNANSWERED),
                                     Invitation.removed_at.is_(None))
            .order_by(Invitation.id)).all()
    mailing = _Mailing.of(event)
    now = utcnow()
    cutoff = now - dt.timedelta(days=after_days)
    reminded = [invitation for invitation in invitations if _due_for_reminder(invitation, cutoff)]
    _queue(_invitation_mails(reminded, mailing, kind="reminder"), now, hold)
    for invitation in reminded:
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
    db.session.flush()
    return reminded


def _due_for_reminder(invitation: Invitation, cutoff: dt.datetime) -> bool:
    last_contact = invitation.last_reminded_at or invitation.sent_at
    return (invitation.status in UNANSWERED and invitation.removed_at is None
            and last_contact is not None and last_contact <= cutoff)


def reissue_link(invitation: Invitation, *, sender: str) -> Invitation:
    """Revoke the current link and mail a new one."""
    queue_messages(_invitation_mails([invitation], _Mailing.of(invitation.event), kind="invitation"))
    if invitation.status is InvitationStatus.DRAFT:
        invitation.status = InvitationStatus.SENT
        invitation.sent_at = utcnow()
    db.session.flush()
    return invitation


def revoke_link(invitation: Invitation) -> Invitation:
    invitation.token_revoked_at = utcnow()
    db.session.flush()
    return invitation


def _invitation_mails(invitations: Sequence[Invitation], mailing: _Mailing, *, kind: str) -> list[dict]:
    """The outbox fields of each invitation's (or reminder's) mail, each with a fresh link."""
    template = mailing.template
    values = []
    for invitation in invitations:
        # A fresh token each time: only its hash is kept, and older links stop working.
        token, invitation.token_hash = new_token()
        invitation.token_revoked_at = None
        values.append(placeholder_values(invitation, template, mailing.link(token)))
    calendars = [None] * len(invitations)
    if mailing.entry is not None:
        calendars = calendar.request_ics_each(
            mailing.entry, organizer=mailing.organizer,
            attendees=[(value["name"], invitation.person.email) for invitation, value in zip(
                invitations, values, strict=True)])
    prefix = REMINDER_PREFIX if kind == "reminder" else ""
    return [{"kind": kind, "recipient": invitation.person.email, "event_id": invitation.event_id,
             "subject": prefix + render_text(template.subject, value),
             "body_text": render_text(template.body, value),
             "body_html": str(render_html(template.body, value)),
             "ics": ics, "ics_method": "REQUEST" if ics else None}
            for invitation, value, ics in zip(invitations, values, calendars, strict=True)]


# ---------------------------------------------------------------- answers

def invitation_for_token(token: str | None) -> Invitation | None:
    """The live invitation of an RSVP token: None if unknown, revoked, removed or past its deadline."""
    if not token:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or invitation.token_revoked_at is not None or invitation.removed_at is not None:
        return None
    if not answer_open(invitation) and invitation.status is not InvitationStatus.REGISTERED:
        return None
    return invitation


def answer(invitation: Invitation, status: InvitationStatus, *, reason: str = "") -> Invitation:
    """Record (or change) the invitee's answer until the deadline.

    A person who accepts before registration opens is held, to be registered when it opens.
    """
    if status not in ANSWERS:
        raise DomainError("Answer with accept, decline or tentative.")
    if invitation.status is InvitationStatus.REGISTERED:
        if invitation.organization_id is not None:
            raise AnswerClosed("Delegates are registered: withdraw them first to change the answer.")
        raise AnswerClosed("You have already registered; to cancel, use the link in your confirmation.")
    if not answer_open(invitation):
        raise AnswerClosed("The deadline for answers has passed.")
    invitation.status = status
    invitation.decline_reason = reason.strip() if status is InvitationStatus.DECLINED else ""
    invitation.answered_at = utcnow()
    if status is InvitationStatus.ACCEPTED and held.can_hold(invitation):
        held.hold(invitation)
    else:
        held.release(invitation)
    db.session.flush()
    return invitation


def accept_and_hold(invitation: Invitation, details: dict) -> Invitation:
    """Accept before registration opens, leaving the registration details to be registered with.

    `details` are held.DETAIL_FIELDS; a new organization is checked now and created when the
    registration is made.
    """
    if not held.can_hold(invitation):
        raise DomainError("Registration is open: register now.")
    if details.get("new_organization"):
        directory.clean_organization_fields(**details["new_organization"])
    if invitation.status is not InvitationStatus.ACCEPTED:
        answer(invitation, InvitationStatus.ACCEPTED)
    held.hold(invitation, details)
    return invitation


def withdraw_delegate(invitation: Invitation, registration_id: int) -> None:
    """The organization's contact withdraws a delegate named through its link; the seat is free again."""
    delegate = next((r for r in registration.delegates(invitation) if r.id == registration_id), None)
    if delegate is None:
        raise DomainError("This person is not a delegate named through this invitation.")
    registration.cancel_registration(delegate, reason="Withdrawn by the organization's contact")
