from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventmgr.extensions import db
from eventmgr.portal.enums import DataRequestKind, DataRequestStatus, PostKind
from eventmgr.sqltypes import enum_column_type, utcnow

if TYPE_CHECKING:
    from eventmgr.agenda.models import AgendaSession
    from eventmgr.auth.models import User
    from eventmgr.registry.models import Person


class Document(db.Model):
    """A file for the participants of an event, stored under instance/uploads/ by a random name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="SET NULL"), index=True)
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Shown and offered as the download name only; never used as a path.
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    session: Mapped[AgendaSession | None] = relationship()
    uploader: Mapped[User | None] = relationship()


class Post(db.Model):
    """An announcement from the organizers or a participant's post; replies point to their post."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[PostKind] = mapped_column(enum_column_type(PostKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)  # Markdown, sanitised when rendered
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    replies: Mapped[list[Post]] = relationship(back_populates="parent", order_by="Post.id")
    parent: Mapped[Post | None] = relationship(back_populates="replies", remote_side=[id])


class DataRequest(db.Model):
    """A person's request for their data or its deletion, decided by an organizer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DataRequestKind] = mapped_column(enum_column_type(DataRequestKind))
    status: Mapped[DataRequestStatus] = mapped_column(
        enum_column_type(DataRequestStatus), default=DataRequestStatus.REQUESTED)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None]

    person: Mapped[Person] = relationship()
    decided_by: Mapped[User | None] = relationship()
