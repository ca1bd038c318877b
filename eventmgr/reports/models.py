"""What rapporteurs record during sessions, and the outcome report drafted from it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.extensions import db
from eventmgr.reports.enums import FollowUpStatus, ReportStatus, SectionKind
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.agenda.models import AgendaSession
    from eventmgr.auth.models import User
    from eventmgr.series.models import Event


class SessionNote(db.Model):
    """A rapporteur's notes on one agenda session, in Markdown."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[AgendaSession] = relationship()
    author: Mapped[User | None] = relationship()


class Finding(db.Model):
    """A short statement drawn from a session; key findings lead the report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    is_key: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession] = relationship()


class Recommendation(db.Model):
    """A next step addressed to someone, followed up across the events of the series.

    Where it was followed up is a later event's session or report (either, or none yet).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    addressee: Mapped[str] = mapped_column(String(200))
    follow_up_status: Mapped[FollowUpStatus] = mapped_column(
        enum_column_type(FollowUpStatus), default=FollowUpStatus.OPEN)
    follow_up_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="SET NULL"), index=True)
    follow_up_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="SET NULL"), index=True)
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession] = relationship(foreign_keys=[session_id])
    follow_up_session: Mapped[AgendaSession | None] = relationship(foreign_keys=[follow_up_session_id])
    follow_up_report: Mapped[Report | None] = relationship(foreign_keys=[follow_up_report_id])


class Report(db.Model):
    """The outcome report of one event, with an optional transmittal letter before it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        enum_column_type(ReportStatus), default=ReportStatus.DRAFT)
    # Paragraphs numbered through the whole report, as in the 2012 summary report.
    numbered: Mapped[bool] = mapped_column(default=False)
    has_letter: Mapped[bool] = mapped_column(default=False)
    # The letter in UN correspondence form: symbol block (the symbol may come later), then
    # "Letter dated … from {sender_function} of {sender} addressed to {addressee}".
    letter_symbol: Mapped[str] = mapped_column(String(80), default="", server_default="")
    letter_organ: Mapped[str] = mapped_column(String(200), default="", server_default="")
    letter_language: Mapped[str] = mapped_column(String(40), default="English", server_default="English")
    letter_sender_function: Mapped[str] = mapped_column(String(300), default="", server_default="")
    letter_sender: Mapped[str] = mapped_column(Text, default="")
    letter_addressee: Mapped[str] = mapped_column(Text, default="")
    letter_date: Mapped[dt.date | None]
    letter_body: Mapped[str] = mapped_column(Text, default="")
    letter_signature: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship()
    sections: Mapped[list[ReportSection]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSection.position")
    revisions: Mapped[list[ReportRevision]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportRevision.number")

    @property
    def is_published(self) -> bool:
        return self.status is ReportStatus.PUBLISHED

    @property
    def is_read_only(self) -> bool:
        """Final and published reports read as they stand; back to draft to change them."""
        return self.status in (ReportStatus.FINAL, ReportStatus.PUBLISHED)


class ReportSection(db.Model):
    """One section. `generated_body` is what the draft last wrote, so edits can be told apart."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SectionKind] = mapped_column(enum_column_type(SectionKind))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    generated_body: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="sections")

    @property
    def is_edited(self) -> bool:
        return self.generated_body is not None and self.body != self.generated_body


class ReportRevision(db.Model):
    """Every save of a report: who, when, what, and the report as it then stood — whole
    (`snapshot`) or as its changes against the revision before (`changes`); see
    eventmgr.reports.revisions."""

    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    summary: Mapped[str] = mapped_column(String(300))
    # none_as_null: an absent snapshot or change set is SQL NULL, not the JSON value null.
    snapshot: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    changes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    report: Mapped[Report] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
