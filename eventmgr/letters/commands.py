"""flask letters export EVENT_SLUG visa|certificate [--registration ID] --format docx|pdf -o FILE
· flask letters mail EVENT_SLUG visa|certificate [--registration ID]"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from eventmgr.documents.commands import event_or_fail, write_document
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.letters import service
from eventmgr.letters.enums import LetterKind
from eventmgr.series.models import Event

letters_cli = AppGroup("letters", help="Visa-support letters and certificates of attendance.")
KIND = click.Choice([kind.value for kind in LetterKind])


def _chosen(event: Event, kind: LetterKind, registration_id: int | None) -> list:
    if registration_id is None:
        return service.recipients(event, kind)
    try:
        return [service.recipient(event, kind, registration_id)]
    except DomainError as error:
        raise click.ClickException(error.message) from None


@letters_cli.command("export")
@click.argument("event_slug")
@click.argument("kind", type=KIND)
@click.option("--registration", "registration_id", type=int, help="One participant's letter only.")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(event_slug: str, kind: str, registration_id: int | None, fmt: str, output: Path) -> None:
    """Write the letters (one a page) to a DOCX or PDF file."""
    event, letter_kind = event_or_fail(event_slug), LetterKind(kind)
    registrations = _chosen(event, letter_kind, registration_id)
    write_document(service.render(event, letter_kind, registrations), fmt, output,
                   f"Wrote {len(registrations)} {letter_kind.plural} to {output}.")


@letters_cli.command("mail")
@click.argument("event_slug")
@click.argument("kind", type=KIND)
@click.option("--registration", "registration_id", type=int, help="One participant's letter only.")
def mail_command(event_slug: str, kind: str, registration_id: int | None) -> None:
    """Queue the letters in the outbox, each as a PDF attachment to its participant."""
    event, letter_kind = event_or_fail(event_slug), LetterKind(kind)
    count = service.queue_letters(event, letter_kind, _chosen(event, letter_kind, registration_id))
    db.session.commit()
    click.echo(f"Queued {count} {letter_kind.plural if count != 1 else letter_kind.label.lower()}.")


commands = [letters_cli]
