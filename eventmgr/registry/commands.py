"""`flask participants ...`: import participant files and write the enclosure."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from eventmgr import tabular
from eventmgr.cli import fail
from eventmgr.documents.commands import write_document
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.normalize import name_key
from eventmgr.registry import enclosure, imports
from eventmgr.registry.enums import EnclosureLayout
from eventmgr.series.service import get_event

participants_cli = AppGroup("participants", help="Participant imports and lists.")


@participants_cli.command("import")
@click.argument("event_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
@click.option("--same-as", "same_as", multiple=True, metavar="NAME=ID",
              help="Answer a possible-duplicate warning: the organization NAME of the file is the "
                   "directory's number ID (or NAME=new). Repeatable.")
def import_command(event_slug: str, file: Path, dry_run: bool, same_as: tuple[str, ...]) -> None:
    """Import people and their registrations from a CSV or XLSX FILE (all or nothing)."""
    answers: dict[str, int | None] = {}
    for answer in same_as:
        name, _, target = answer.rpartition("=")
        if not name or not (target.isdigit() or target == "new"):
            raise click.BadParameter(f"“{answer}”: write NAME=ID or NAME=new.", param_hint="--same-as")
        answers[name_key(name)] = int(target) if target.isdigit() else None
    try:
        event = get_event(event_slug)
        table = tabular.read_table(file.read_bytes(), file.name)
    except DomainError as error:
        fail(error)
    validation = imports.validate_people(table, with_registration=True)
    result = imports.ImportResult(validation=validation)
    if not validation.errors:
        with click.progressbar(length=len(validation.rows), label="Importing") as bar:
            last = 0

            def advance(done: int) -> None:
                nonlocal last
                bar.update(done - last)
                last = done

            imports.apply_rows(event, result, dry_run=dry_run, progress=advance, same_as=answers)
    for issue in result.issues:
        click.echo(f"{issue.level}: {issue}", err=True)
    if result.errors:
        raise click.ClickException(f"{len(result.errors)} error(s): nothing was imported.")
    db.session.commit()
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {len(validation.rows)} rows: {result.people_created} new people, "
               f"{result.people_updated} updated; {result.organizations_created} new organizations; "
               f"{result.registrations_created} new registrations, {result.registrations_updated} updated.")


@participants_cli.command("enclosure")
@click.argument("event_slug")
@click.option("--format", "output_format", type=click.Choice(["txt", "md", "docx", "pdf"]), default="txt",
              show_default=True)
@click.option("--layout", type=click.Choice([layout.value for layout in EnclosureLayout]),
              default=EnclosureLayout.RUN_IN.value, show_default=True,
              help="run-in: one paragraph per category (UN documents); lines: one entry a line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output (required for docx and pdf).")
def enclosure_command(event_slug: str, output_format: str, layout: str, output: Path | None) -> None:
    """Write the "List of participants" enclosure of an event."""
    try:
        event = get_event(event_slug)
    except DomainError as error:
        fail(error)
    if output_format in ("docx", "pdf"):
        if output is None:
            raise click.UsageError(f"A {output_format.upper()} needs -o FILE.")
        write_document(enclosure.enclosure_docx(event, EnclosureLayout(layout)), output_format, output)
        return
    text = enclosure.enclosure_file_text(enclosure.build_enclosure(event),
                                         markdown=output_format == "md", layout=EnclosureLayout(layout))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")


commands = [participants_cli]
