"""`flask invitations add|add-organization|send|remind`: the invitation list from the command line."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from eventmgr.cli import fail
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.invitations import service
from eventmgr.registry.service import OrganizationIndex
from eventmgr.series.service import get_event
from eventmgr.templating import counted

invitations_cli = AppGroup("invitations", help="Invitation lists, sending and reminders.")


def _event(slug: str):
    try:
        return get_event(slug)
    except DomainError as error:
        fail(error)


@invitations_cli.command("add")
@click.argument("event_slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
def add(event_slug: str, file: Path, dry_run: bool) -> None:
    """Invite the people of a CSV or XLSX FILE (participant-import columns without role/status)."""
    event = _event(event_slug)
    try:
        result, invited = service.import_invitations(event, file.read_bytes(), file.name)
    except DomainError as error:
        fail(error)
    for issue in result.issues:
        click.echo(f"{issue.level}: {issue}", err=True)
    if result.errors:
        db.session.rollback()
        raise click.ClickException(f"{len(result.errors)} error(s): nothing was written.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(f"{'Would invite' if dry_run else 'Invited'} {len(invited)} "
               f"({len(result.validation.rows) - len(invited)} already invited); "
               f"{counted(result.people_created, 'new person', 'new people')} in the directory.")


@invitations_cli.command("add-organization")
@click.argument("event_slug")
@click.argument("organization")
@click.option("--seats", type=int, required=True, help="How many delegates the organization may send.")
@click.option("--contact", "contact_email", required=True,
              help="Email of the person who names the delegates.")
@click.option("--given-name", default="", help="The contact's given name, if not yet in the directory.")
@click.option("--family-name", default="", help="The contact's family name, if not yet in the directory.")
def add_organization(event_slug: str, organization: str, seats: int, contact_email: str, given_name: str,
                     family_name: str) -> None:
    """Invite ORGANIZATION (its name or acronym in the directory) with a number of seats."""
    event = _event(event_slug)
    found = OrganizationIndex.candidates_for(organization).match(organization)
    if found is None:
        fail(DomainError(f"No organization “{organization}” in the directory."))
    try:
        contact = service.find_or_add_contact(found, email=contact_email, given_name=given_name,
                                              family_name=family_name)
        service.invite_organization(event, found, seats=seats, contact=contact)
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"Invited {found.name} with {seats} seats; {contact.full_name} <{contact.email}> names "
               "the delegates.")


@invitations_cli.command("send")
@click.argument("event_slug")
def send(event_slug: str) -> None:
    """Queue the invitation mail to everyone not yet sent."""
    sent = service.send_invitations(_event(event_slug), sender=current_app.config["MAIL_DEFAULT_SENDER"])
    db.session.commit()
    click.echo(f"Queued {counted(len(sent), 'invitation')}; `flask outbox send` delivers them.")


@invitations_cli.command("remind")
@click.argument("event_slug")
@click.option("--after-days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Remind only those invited (or last reminded) at least this many days ago.")
def remind(event_slug: str, after_days: int) -> None:
    """Queue a reminder to everyone who has not answered."""
    reminded = service.remind(_event(event_slug), sender=current_app.config["MAIL_DEFAULT_SENDER"],
                              after_days=after_days)
    db.session.commit()
    click.echo(f"Queued {counted(len(reminded), 'reminder')}.")


commands = [invitations_cli]
