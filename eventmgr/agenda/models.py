from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.extensions import db
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.auth.models import User
    from eventmgr.registry.models import Organization, Person
    from eventmgr.series.models import Event


class Room(db.Model):
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


class AgendaSession(db.Model):
    """An agenda item. Named so it never shadows flask.session or the ORM Session.

    A programme may give an item a day and times, a day only, or only its place in the
    order ("time to be confirmed"): `starts_at` is then empty, and so is `day` for an item
    with no day yet. `ends_at` may be empty for an item with an open end ("19:30 Dinner").
    `position` is the item's place in the programme (agenda.ordering keeps it in step with
    the times), `day` the local day of a timed item, so both order the agenda in SQL.
    """

    __tablename__ = "agenda_session"
    __table_args__ = (
        CheckConstraint("starts_at IS NOT NULL OR ends_at IS NULL", name="end_needs_start"),
        CheckConstraint("starts_at IS NULL OR day IS NOT NULL", name="timed_has_day"),
        Index("ix_agenda_session_programme_order", "event_id", "day", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SessionKind] = mapped_column(enum_column_type(SessionKind))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    day: Mapped[dt.date | None]
    starts_at: Mapped[dt.datetime | None]
    ends_at: Mapped[dt.datetime | None]
    # Outside the conference proper (the dinner the evening before, a site visit after).
    is_side_event: Mapped[bool] = mapped_column(default=False)
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("room.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    is_published: Mapped[bool] = mapped_column(default=False)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    # Bumped on every change once published, so calendar clients pick up edits.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    parent: Mapped[AgendaSession | None] = relationship(
        back_populates="children", remote_side="AgendaSession.id"
    )
    children: Mapped[list[AgendaSession]] = relationship(
        back_populates="parent", order_by="(AgendaSession.position, AgendaSession.id)"
    )
    roles: Mapped[list[SessionRole]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionRole.position"
    )

    @property
    def is_timed(self) -> bool:
        return self.starts_at is not None

    def __repr__(self) -> str:
        return f"<AgendaSession {self.id} {self.title!r}>"


_event_zones = sa.table("event", sa.column("id"), sa.column("timezone"))


@sa.event.listens_for(AgendaSession, "before_insert")
@sa.event.listens_for(AgendaSession, "before_update")
def _set_local_day(mapper, connection, session: AgendaSession) -> None:
    # A timed item's day is its local date, however the row was made (services set it too).
    if session.starts_at is None or (sa.inspect(session).persistent
                                     and not sa.inspect(session).attrs.starts_at.history.has_changes()):
        return
    event = session.__dict__.get("event")
    zone = event.zone if event is not None else ZoneInfo(connection.scalar(
        sa.select(_event_zones.c.timezone).where(_event_zones.c.id == session.event_id)))
    session.day = session.starts_at.astimezone(zone).date()


class SessionRole(db.Model):
    """Who holds a role on a session: a person, an organization, a State, or a function alone
    ("a representative of the host State"), with the function they speak in on that session."""

    __table_args__ = (
        UniqueConstraint("session_id", "person_id", "role"),
        CheckConstraint("person_id IS NOT NULL OR organization_id IS NOT NULL OR state IS NOT NULL "
                        "OR function != ''", name="role_has_holder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    # Held by an organization ("a representative of Toshiba") rather than a person.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    # Held by a State as such ("Republic of Korea"): its ISO 3166-1 alpha-2 code.
    state: Mapped[str | None] = mapped_column(String(2))
    # The function on this session ("President of BAFA"); a person's defaults to their position.
    function: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[SessionRoleKind] = mapped_column(enum_column_type(SessionRoleKind))
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="roles")
    person: Mapped[Person | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class AgendaState(db.Model):
    """Publication state of an event's agenda; `version` keys the cached exports and their ETag."""

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    published_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AgendaChange(db.Model):
    """One change made to a published agenda: what, when and by whom."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="SET NULL"), index=True
    )
    what: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class PersonalAgendaItem(db.Model):
    """A session a signed-in user put in their personal agenda."""

    __table_args__ = (UniqueConstraint("user_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession] = relationship()


class PersonalFeed(db.Model):
    """A user's secret personal calendar feed.

    The token is an HMAC of a random salt under the app's secret, so the page can show the
    link again; only its hash is stored for look-up. A new salt revokes the old link.
    """

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
