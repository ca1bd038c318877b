from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.extensions import db
from eventmgr.normalize import search_key
from eventmgr.series.enums import EventStatus, OrganizerRole, RegistrationMode
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.registry.models import Organization


class Series(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    mandate_references: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    events: Mapped[list[Event]] = relationship(
        back_populates="series", order_by="Event.start_date", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Series {self.slug}>"


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="RESTRICT"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(500), default="")
    background: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Europe/Berlin
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_city: Mapped[str] = mapped_column(String(120), default="")
    venue_country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    status: Mapped[EventStatus] = mapped_column(
        enum_column_type(EventStatus), default=EventStatus.DRAFT
    )
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        enum_column_type(RegistrationMode), default=RegistrationMode.INVITATION_ONLY
    )
    capacity: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[Series] = relationship(back_populates="events")
    organizers: Mapped[list[EventOrganizer]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganizer.position"
    )
    goals: Mapped[list[EventGoal]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventGoal.position"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_public(self) -> bool:
        return self.status.is_public

    @property
    def is_ahead(self) -> bool:
        """Not yet held: registrations can still be cancelled, calendars still matter."""
        return self.status in (EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN,
                               EventStatus.REGISTRATION_CLOSED)

    @property
    def place(self) -> str:
        """Venue and city, the city once: "Conference centre, Frankfurt am Main", and "Kurhaus
        Wiesbaden" for a venue whose name already holds its city."""
        name, city = self.venue_name.strip(), self.venue_city.strip()
        if name and city and f" {search_key(city)} " in f" {search_key(name)} ":
            return name
        return ", ".join(part for part in (name, city) if part)

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(count)]

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventOrganizer(db.Model):
    """An organization hosting or co-organizing an event."""

    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[OrganizerRole] = mapped_column(enum_column_type(OrganizerRole))
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="organizers")
    organization: Mapped[Organization] = relationship()


class EventGoal(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)

    event: Mapped[Event] = relationship(back_populates="goals")
