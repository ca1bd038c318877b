"""Builders that create test data through the same services users go through."""

from __future__ import annotations

import datetime as dt
import itertools

from eventmgr.extensions import db
from eventmgr.registry import service as registry_service
from eventmgr.registry.enums import OrganizationKind
from eventmgr.registry.models import Organization, Person, Registration
from eventmgr.series import service as series_service
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event, Series

_counter = itertools.count(1)


def make_series(*, staff: bool = True, **overrides) -> Series:
    """A series; the test world's organizer and rapporteur accounts work on it unless `staff`
    is False (a series of others, for per-series rights)."""
    n = next(_counter)
    fields = {"slug": f"series-{n}", "name": f"Series {n}"} | overrides
    series = series_service.create_series(**fields)
    if staff:
        grant_all_series()
    db.session.commit()
    return series


def grant_all_series() -> None:
    """Give every organizer and rapporteur account its rights in every series (the usual test
    world, where the staff run everything; per-series tests make series of others)."""
    from sqlalchemy import select

    from eventmgr.auth import service as auth_service
    from eventmgr.auth.enums import Role
    from eventmgr.auth.models import User

    series_ids = db.session.scalars(select(Series.id)).all()
    for user in db.session.scalars(select(User).where(User.role.in_([Role.ORGANIZER, Role.RAPPORTEUR]))):
        for series_id in series_ids:
            if user.series_role(series_id) is None:
                auth_service.grant_series_role(user, series_id, user.role)
    db.session.flush()


def make_event(series: Series | None = None, *, status: EventStatus = EventStatus.DRAFT,
               **overrides) -> Event:
    """An event in `series` (a new one by default), moved step by step to `status`."""
    series = series or make_series()
    n = next(_counter)
    fields = {
        "slug": f"event-{n}", "title": f"Conference {n}", "theme": "Compliance",
        "start_date": dt.date(2014, 11, 20), "end_date": dt.date(2014, 11, 21),
        "timezone": "Europe/Berlin", "venue_city": "Frankfurt am Main", "venue_country": "DE",
        "registration_mode": RegistrationMode.OPEN, "capacity": None,
    } | overrides
    event = series_service.create_event(series, **fields)
    order = list(EventStatus)
    for step in order[1:order.index(status) + 1]:
        series_service.change_event_status(event, step)
    db.session.commit()
    return event


def make_organization(name: str | None = None, *, kind=OrganizationKind.COMPANY,
                      country: str | None = "DE", **overrides) -> Organization:
    """A directory organization, made by the registry service."""
    name = name or f"Organization {next(_counter)}"
    organization = registry_service.create_organization(name=name, kind=kind, country=country,
                                                        **overrides)
    db.session.commit()
    return organization


def make_person(email: str | None = None, *, organization: Organization | None = None,
                **overrides) -> Person:
    """A directory person, made by the registry service."""
    n = next(_counter)
    fields = {"given_name": "Alex", "family_name": f"Person {n}",
              "email": email or f"person-{n}@example.org"} | overrides
    person = registry_service.create_person(organization=organization, **fields)
    db.session.commit()
    return person


def record_participant(event: Event, organization: Organization | None, *,
                       person: Person | None = None, **fields) -> Registration:
    """A registration set by an organizer (confirmed by default) for a new or given person."""
    person = person or make_person(organization=organization)
    registration = registry_service.record_registration(event, person, organization=organization,
                                                        **fields)
    db.session.commit()
    return registration


def make_agenda_session(event: Event, title: str | None = None, *, kind=None, day: int = 0,
                        hour: int = 9, **overrides):
    """An agenda session of `event` (a panel by default), on its `day` at `hour` (event time)."""
    from zoneinfo import ZoneInfo

    from eventmgr.agenda.enums import SessionKind
    from eventmgr.agenda.models import AgendaSession

    starts_at = dt.datetime.combine(event.start_date + dt.timedelta(days=day), dt.time(hour),
                                    ZoneInfo(event.timezone))
    session = AgendaSession(event=event, title=title or f"Panel {next(_counter)}",
                            kind=kind or SessionKind.PANEL, starts_at=starts_at,
                            ends_at=starts_at + dt.timedelta(hours=1), **overrides)
    db.session.add(session)
    db.session.commit()
    return session


def make_published_agenda(event: Event, count: int, *, rooms: int = 4, speakers_per_session: int = 2,
                          actor=None) -> list:
    """`count` sessions of 30 minutes spread over the event's rooms and days, with speakers,
    made and published through the agenda service."""
    from eventmgr.agenda import service as agenda_service
    from eventmgr.agenda.enums import SessionKind, SessionRoleKind

    slots_per_day = 28  # 08:00 to 22:00 in half hours
    rooms = max(rooms, -(-count // (slots_per_day * len(event.days))))
    room_list = [agenda_service.add_room(event, f"Room {i + 1}", actor) for i in range(rooms)]
    organization = make_organization()
    sessions = []
    for index in range(count):
        room = room_list[index % rooms]
        slot = index // rooms
        day = event.start_date + dt.timedelta(days=slot // slots_per_day)
        local = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=30 * (slot % slots_per_day))
        starts = agenda_service.local_to_utc(event, local)
        session = agenda_service.create_session(
            event, actor, kind=SessionKind.PANEL, title=f"Session {index + 1}", description="About it.",
            starts_at=starts, ends_at=starts + dt.timedelta(minutes=30), room_id=room.id, parent_id=None)
        for n in range(speakers_per_session):
            person = registry_service.create_person(
                email=f"speaker-{event.id}-{index}-{n}@example.org", given_name="Sam",
                family_name=f"Speaker {index}-{n}", organization=organization, country="FR")
            agenda_service.add_person(session, person, SessionRoleKind.SPEAKER, actor,
                                      accept_person_conflicts=True)
        sessions.append(session)
    agenda_service.publish_agenda(event, actor)
    db.session.commit()
    return sessions


# A programme with what real ones hold (tests/agenda: exports, golden files, ConfClerk):
# a dinner the evening before, items without a time or a day, an open end, an item past
# midnight, the DST change, parallel rooms and break-out groups, a cancelled item, names in
# other scripts and family names first, States, organizations and functions on panels,
# characters XML and CSV escape.
TRICKY_PROGRAMME = [
    ["day", "start", "end", "kind", "title", "room", "chair", "speakers", "panelists", "rapporteur"],
    ["2014-10-24", "19:30", "", "reception", "Dinner & welcome <hosted by the “City”>", "Römer",
     "", "", "", ""],
    ["2014-10-25", "", "", "break", "Registration", "Foyer", "", "", "", ""],
    ["", "09:00", "10:00", "opening", "Opening statements", "Plenary hall",
     "H.E. Mr. OH Joon, Chair of the Security Council Committee established pursuant to resolution "
     "1540 (2004)",
     "Dr. Arnold Wallraff, President, Federal Office for Economic Affairs and Export Control (BAFA); "
     "Republic of Korea; a representative of the host State", "", "Anna Keller"],
    ["", "10:30", "12:00", "panel", "Export controls, brokering & “catch-all” clauses", "Plenary hall",
     "Chair of the TEM", "", "Иван Петров, Министерство промышленности, Russian Federation; "
     "محمد العلي, Ministry of Trade, Jordan; 王伟, China Customs; a representative of Toshiba; "
     "Compliance and Capacity International, LLC", ""],
    ["", "10:30", "12:00", "breakout", "Group B: transport", "Room 2", "Wallraff", "", "", ""],
    ["", "22:00", "01:00", "reception", "Night at the museum", "Städel", "", "", "", ""],
    ["2014-10-26", "09:00", "10:00", "panel", "Sunday after the clocks go back", "Plenary hall", "",
     "Ms. LI Hong, Ministry of Commerce, China", "", ""],
    ["", "", "", "closing", "Closing remarks", "Plenary hall", "", "", "", ""],
    ["tbc", "", "", "plenary", "Follow-up meeting", "", "", "", "", ""],
]


def make_tricky_agenda(event: Event, *, publish: bool = True) -> None:
    """TRICKY_PROGRAMME imported into `event` (25 and 26 October 2014 in Berlin), one item
    cancelled, published."""
    import csv
    import io

    from eventmgr.agenda import imports
    from eventmgr.agenda import service as agenda_service
    from eventmgr.agenda.models import AgendaSession

    buffer = io.StringIO()
    csv.writer(buffer).writerows(TRICKY_PROGRAMME)
    result = imports.import_programme(event, buffer.getvalue().encode(), "tricky.csv", None)
    assert result.applied, result.issues
    if publish:
        agenda_service.publish_agenda(event, None)
    museum = db.session.query(AgendaSession).filter_by(event_id=event.id, title="Night at the museum").one()
    agenda_service.cancel_session(museum, None)
    db.session.commit()


def make_registrant(event: Event, email: str, password: str, **person_fields) -> Registration:
    """A person registered for `event` with the participant account the confirmation made,
    its password set (as through the mailed link)."""
    from eventmgr.auth import service as auth_service
    from eventmgr.registry import registration

    person = make_person(email, **person_fields)
    registered = registration.register_participant(event, person=person)
    auth_service.set_password(auth_service.get_user_by_email(email), password)
    db.session.commit()
    return registered


def last_rsvp_path() -> str:
    """The RSVP link of the newest invitation mail in the outbox, as a path on the site."""
    import sqlalchemy as sa

    from eventmgr.mail.models import Message

    body = db.session.scalars(sa.select(Message.body_text).where(Message.kind == "invitation")
                              .order_by(Message.id.desc())).first()
    link = next(line for line in body.splitlines() if "/rsvp/" in line)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]
