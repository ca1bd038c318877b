"""The letterhead an event's letters to participants are printed on."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from eventmgr.extensions import db


class Letterhead(db.Model):
    """The host's letterhead and signatory for an event's visa letters and certificates."""

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    # Where the letters are signed ("Berlin"), before their date.
    place: Mapped[str] = mapped_column(String(120), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_function: Mapped[str] = mapped_column(Text, default="")
    visa_addressee: Mapped[str] = mapped_column(String(300), default="")
