"""flask reports draft EVENT_SLUG · flask reports export EVENT_SLUG --format docx|pdf|md|html -o FILE"""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from eventmgr.documents.commands import write_document
from eventmgr.extensions import db
from eventmgr.reports import queries, service
from eventmgr.reports.document import render_markdown, standalone_html
from eventmgr.reports.docx import render_docx
from eventmgr.series.models import Event

reports_cli = AppGroup("reports", help="Outcome reports.")


def _event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"No event with the address “{slug}”.")
    return event


@reports_cli.command("draft")
@click.argument("event_slug")
def draft_command(event_slug: str) -> None:
    """Create the report of an event, or refresh the sections nobody has edited."""
    result = service.draft_report(_event(event_slug), None)
    db.session.commit()
    if result.created:
        click.echo(f"Drafted the report with {len(result.report.sections)} sections.")
        return
    click.echo("Refreshed: " + (", ".join(s.title for s in result.refreshed) or "nothing changed") + ".")
    if result.kept_edited:
        click.echo("Kept as edited: " + ", ".join(s.title for s in result.kept_edited) + ".")


@reports_cli.command("export")
@click.argument("event_slug")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "md", "html"]), default="docx",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(event_slug: str, fmt: str, output: Path) -> None:
    """Write the report (whatever its status) as DOCX, PDF, Markdown or HTML."""
    report = queries.report_of(_event(event_slug))
    if report is None:
        raise click.ClickException("This event has no report yet: run `flask reports draft` first.")
    document = service.export_document(report)
    if fmt in ("docx", "pdf"):
        write_document(render_docx(document), fmt, output)
        return
    output.write_text(render_markdown(document) if fmt == "md" else standalone_html(document),
                      encoding="utf-8")
    click.echo(f"Wrote {output}.")


commands = [reports_cli]
