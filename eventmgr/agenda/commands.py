"""`flask agenda ...`: import a programme from a file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from eventmgr.agenda import imports
from eventmgr.agenda.programme import NEW
from eventmgr.cli import fail
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.series.service import get_event
from eventmgr.templating import counted

agenda_cli = AppGroup("agenda", help="Agenda imports.")


def _choice(value: str) -> tuple[str, str]:
    key, sep, choice = value.partition("=")
    if not sep or not key or not (choice == NEW or choice.removeprefix("person:").isdigit()):
        raise click.BadParameter(f"“{value}” is not ENTRY=PERSON_ID or ENTRY=new.", param_hint="--choose")
    return key, choice


@agenda_cli.command("import")
@click.argument("event_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check, match and count; write nothing.")
@click.option("--choose", "choices", multiple=True, metavar="ENTRY=PERSON_ID|new",
              help="Who an ambiguous entry means (the entry names are listed when one is ambiguous).")
def import_command(event_slug: str, file: Path, dry_run: bool, choices: tuple[str, ...]) -> None:
    """Import a programme FILE (CSV, XLSX, frab XML, schedule JSON or Indico JSON), all or nothing."""
    chosen = dict(_choice(value) for value in choices)
    try:
        event = get_event(event_slug)
        result = imports.import_programme(event, file.read_bytes(), file.name, None, choices=chosen,
                                          dry_run=dry_run)
    except DomainError as error:
        fail(error)
    for issue in result.issues:
        click.echo(f"{issue.level}: {issue if issue.row else issue.message}", err=True)
    undecided = [entry for entry in result.entries if entry.needs_choice]
    for entry in undecided:
        options = ", ".join(f"{person_id} ({result.candidates[person_id].display_name}"
                            + (f", {result.candidates[person_id].organization.name}"
                               if result.candidates[person_id].organization else "") + ")"
                            for person_id in entry.candidates if person_id in result.candidates)
        click.echo(f"choose: --choose {entry.key}=PERSON_ID or {entry.key}=new for “{entry.entry.text}”; "
                   f"in the directory: {options}", err=True)
    if result.errors:
        db.session.rollback()
        raise click.ClickException(f"{len(result.errors)} error(s): nothing was imported.")
    if undecided and not dry_run:
        db.session.rollback()
        raise click.ClickException(f"{len(undecided)} entr{'y' if len(undecided) == 1 else 'ies'} to choose: "
                                   "nothing was imported.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{'Would import' if dry_run else 'Imported'} {counted(len(result.items), 'item')} "
               f"({result.untimed} without a time, {counted(result.side_events, 'side event')}): "
               f"{counted(result.count('matched') + result.count('chosen'), 'person', 'people')} matched "
               f"in the directory, {counted(result.people_created, 'new person', 'new people')}, "
               f"{counted(result.organizations_created, 'new organization')}.")


commands = [agenda_cli]
