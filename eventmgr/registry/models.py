from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, func, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NO_VALUE

from eventmgr.extensions import db
from eventmgr.normalize import organization_key, search_key
from eventmgr.registry.enums import (
    Attendance,
    ListCategory,
    ListVisibility,
    NameOrder,
    NameStyle,
    OrganizationKind,
    OrganizationSize,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.series.models import Event


class Organization(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Case-folded, whitespace-collapsed name: two directory entries never share one.
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    # The name as matched (normalize.organization_key: accents, punctuation, legal forms ignored).
    match_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    acronym: Mapped[str] = mapped_column(String(40), default="")
    # Transliterated, case-folded name, acronym and alternative names (normalize.search_key),
    # for searching: a search for an alias finds the organization.
    search_key: Mapped[str] = mapped_column(String(1000), default="", index=True)
    kind: Mapped[OrganizationKind] = mapped_column(enum_column_type(OrganizationKind))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    # The State it belongs to: a State taking part as such (kind STATE) and its government
    # bodies. Any organization with a State is listed under it in the enclosure.
    state: Mapped[str | None] = mapped_column(String(2))
    # Companies only, where known.
    size: Mapped[OrganizationSize | None] = mapped_column(enum_column_type(OrganizationSize))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sector_links: Mapped[list[OrganizationSector]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    aliases: Mapped[list[OrganizationAlias]] = relationship(
        back_populates="organization", cascade="all, delete-orphan",
        order_by="OrganizationAlias.name",
    )

    @property
    def sectors(self) -> list[Sector]:
        return sorted((link.sector for link in self.sector_links), key=list(Sector).index)

    @property
    def category(self) -> ListCategory:
        return self.kind.category

    @property
    def alias_names(self) -> list[str]:
        return [alias.name for alias in self.aliases]

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"


class OrganizationAlias(db.Model):
    """Another name an organization goes by ("1540 Committee", "US State Department")."""

    __table_args__ = (UniqueConstraint("organization_id", "match_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    match_key: Mapped[str] = mapped_column(String(300), index=True)

    organization: Mapped[Organization] = relationship(back_populates="aliases")

    def __repr__(self) -> str:
        return f"<OrganizationAlias {self.name!r}>"


class OrganizationSector(db.Model):
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[Sector] = mapped_column(enum_column_type(Sector), primary_key=True)

    organization: Mapped[Organization] = relationship(back_populates="sector_links")


class Person(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    honorific: Mapped[str] = mapped_column(String(40), default="")
    # Optional: some people are known by one name only ("Wallraff" on a programme).
    given_name: Mapped[str] = mapped_column(String(120), default="")
    family_name: Mapped[str] = mapped_column(String(120))
    name_order: Mapped[NameOrder] = mapped_column(enum_column_type(NameOrder), default=NameOrder.GIVEN_FAMILY)
    # Optional: a speaker taken from a printed programme may have no known address.
    email: Mapped[str] = mapped_column(String(254), default="")
    # Trimmed, NFKC-normalised, case-folded email: one person per address (NULL without one).
    email_key: Mapped[str | None] = mapped_column(String(254), unique=True)
    # Transliterated, case-folded full name (normalize.search_key), for searching.
    search_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2))
    consent_to_list: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization | None] = relationship()

    # The staff lists' name order (registration_queries.SORTS): their pages walk this index.
    __table_args__ = (Index("ix_person_sort_name", func.lower(family_name), func.lower(given_name), id),)

    def name_in(self, style: NameStyle = NameStyle.AS_WRITTEN, *, honorific: bool = True) -> str:
        """The name in the person's own order ("Li Hong" for family name first), the family
        name in capitals in the UN list style ("LI Hong", "Arnold WALLRAFF")."""
        return person_name(self.honorific if honorific else "", self.given_name, self.family_name,
                           self.name_order, style)

    @property
    def full_name(self) -> str:
        return self.name_in(honorific=False)

    @property
    def display_name(self) -> str:
        return self.name_in()

    @property
    def list_name(self) -> str:
        """The UN participant-list style: "Mr. Arnold WALLRAFF"."""
        return self.name_in(NameStyle.UN_LIST)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.full_name!r}>"


def person_name(honorific: str, given_name: str, family_name: str, name_order: NameOrder,
                style: NameStyle = NameStyle.AS_WRITTEN) -> str:
    """Person.name_in of plain values: lists built from plain rows name people with it."""
    family = family_name.upper() if style is NameStyle.UN_LIST else family_name
    names = (family, given_name) if name_order is NameOrder.FAMILY_GIVEN else (given_name, family)
    return " ".join(filter(None, (honorific, *names)))


def person_search_key(given_name: str, family_name: str) -> str:
    return search_key(f"{given_name} {family_name}")


def organization_search_key(name: str, acronym: str, aliases=()) -> str:
    return search_key(" ".join((name, acronym or "", *aliases)))[:1000]


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_person_search_key(mapper, connection, person: Person) -> None:
    # Every ORM write keeps the key; bulk Core inserts set it themselves.
    person.search_key = person_search_key(person.given_name or "", person.family_name or "")


@event.listens_for(Organization, "before_insert")
@event.listens_for(Organization, "before_update")
def _set_organization_keys(mapper, connection, organization: Organization) -> None:
    # Adding or removing an alias through `aliases` makes the organization dirty, so this
    # runs then too. Aliases not loaded have not changed: read them on this connection.
    loaded = inspect(organization).attrs.aliases.loaded_value
    if loaded is not NO_VALUE:
        aliases = [alias.name for alias in loaded]
    elif organization.id is None:
        aliases = []
    else:
        aliases = list(connection.scalars(select(OrganizationAlias.name).where(
            OrganizationAlias.organization_id == organization.id)))
    organization.match_key = organization_key(organization.name or "")
    organization.search_key = organization_search_key(organization.name or "", organization.acronym,
                                                      aliases)


@event.listens_for(OrganizationAlias, "before_insert")
@event.listens_for(OrganizationAlias, "before_update")
def _set_alias_key(mapper, connection, alias: OrganizationAlias) -> None:
    alias.match_key = organization_key(alias.name or "")


class Registration(db.Model):
    # The seat count under the event lock, and the counts by status, read this index alone.
    __table_args__ = (UniqueConstraint("event_id", "person_id"),
                      Index("ix_registration_event_id_status", "event_id", "status"),
                      # The registrations list in the order of registration reads its pages from it.
                      Index("ix_registration_event_id_registered_at", "event_id", "registered_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    # The organization and State as at this event: later job changes leave old lists alone.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str | None] = mapped_column(String(2))
    role: Mapped[ParticipantRole] = mapped_column(
        enum_column_type(ParticipantRole), default=ParticipantRole.PARTICIPANT
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column_type(RegistrationStatus), default=RegistrationStatus.PENDING
    )
    attendance: Mapped[Attendance | None] = mapped_column(enum_column_type(Attendance))
    dietary_needs: Mapped[str] = mapped_column(String(500), default="")
    access_needs: Mapped[str] = mapped_column(String(500), default="")
    visa_letter: Mapped[bool] = mapped_column(default=False)
    consent_to_list: Mapped[bool] = mapped_column(default=False)
    # Listed people may also show their email and position to the other participants.
    share_contact: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[dt.datetime | None]
    # Hash of the secret in the participant's cancellation link.
    cancel_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The invitation this registration came through: an organization's seats are counted by it.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()
    organization: Mapped[Organization | None] = relationship()

    def __repr__(self) -> str:
        return f"<Registration event={self.event_id} person={self.person_id} {self.status}>"


class RegistrationConfirmation(db.Model):
    """What a public registration form asked on someone's behalf, waiting for that person to
    confirm from the link mailed to their address: registering a person already in the
    directory (with what the form said), or agreeing to appear in the public list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "register" or "listing"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"))
    # What the form said, as typed (shown to the person in the mail and on the confirmation page).
    given_name: Mapped[str] = mapped_column(String(120), default="")
    family_name: Mapped[str] = mapped_column(String(120), default="")
    dietary_needs: Mapped[str] = mapped_column(String(500), default="")
    access_needs: Mapped[str] = mapped_column(String(500), default="")
    visa_letter: Mapped[bool] = mapped_column(default=False)
    consent_to_list: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()
    registration: Mapped[Registration | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class EnclosureOrder(db.Model):
    """The organizer's order of an organization within its enclosure paragraph.

    Organizations without a position follow those with one, alphabetically.
    """

    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]


class ParticipantListSetting(db.Model):
    """Whether and how an event's participant list is published on its public pages."""

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    visibility: Mapped[ListVisibility] = mapped_column(
        enum_column_type(ListVisibility), default=ListVisibility.NONE
    )
