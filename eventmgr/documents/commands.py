"""flask documents programme|badges EVENT_SLUG --format docx|pdf -o FILE"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from eventmgr.agenda import queries as agenda_queries
from eventmgr.agenda.docx import agenda_docx
from eventmgr.cli import fail
from eventmgr.documents import pdf
from eventmgr.errors import DomainError
from eventmgr.registry.badges import badges_docx
from eventmgr.registry.registration_queries import badge_registrations
from eventmgr.series.models import Event
from eventmgr.series.service import get_event
from eventmgr.templating import zone_label

documents_cli = AppGroup("documents", help="The programme and the name badges as DOCX or PDF.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx",
                      show_default=True)
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)


def event_or_fail(slug: str) -> Event:
    try:
        return get_event(slug)
    except DomainError as error:
        fail(error)


def write_document(body: bytes, fmt: str, output: Path, message: str | None = None) -> None:
    """Write a DOCX, or the PDF made from it, and say so."""
    if fmt == "pdf":
        try:
            body = pdf.docx_to_pdf(body)
        except pdf.PdfUnavailable as error:
            raise click.ClickException(error.message) from None
    output.write_bytes(body)
    click.echo(message or f"Wrote {output}.")


@documents_cli.command("programme")
@click.argument("event_slug")
@FORMAT
@OUTPUT
def programme_command(event_slug: str, fmt: str, output: Path) -> None:
    """The published agenda as a programme."""
    event = event_or_fail(event_slug)
    venue = ", ".join(part for part in (event.venue_name, event.venue_city) if part)
    write_document(agenda_docx(event, agenda_queries.public_sessions(event),
                       zone_label=zone_label(event.timezone, event.start_date), venue=venue), fmt, output)


@documents_cli.command("badges")
@click.argument("event_slug")
@FORMAT
@OUTPUT
def badges_command(event_slug: str, fmt: str, output: Path) -> None:
    """Name badges of the confirmed participants, eight per A4 sheet."""
    event = event_or_fail(event_slug)
    write_document(badges_docx(event, badge_registrations(event)), fmt, output)


commands = [documents_cli]
