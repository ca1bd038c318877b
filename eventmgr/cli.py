"""`flask` commands. Each is a thin wrapper over a service; one commit per command."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from eventmgr import backup
from eventmgr.auth import service as auth_service
from eventmgr.auth.enums import Role
from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.extensions import db
from eventmgr.series import service as series_service
from eventmgr.series.enums import RegistrationMode
from eventmgr.series.models import Event
from eventmgr.text import TextRefused, clean_text

users_cli = AppGroup("users", help="Accounts and roles.")
series_cli = AppGroup("series", help="Series of events.")
events_cli = AppGroup("events", help="Events of a series.")
demo_cli = AppGroup("demo", help="The demo process (Wiesbaden 2012-2014).")
backup_cli = AppGroup("backup", help="Backups of the SQLite database (PostgreSQL: pg_dump).")

# Packages that add their own command groups in <package>/commands.py as `commands`.
COMMAND_PACKAGES = ("registry", "invitations", "mail", "reports", "letters", "documents", "agenda")


def fail(error: DomainError) -> None:
    """Print a domain error as a CLI error (exit status 1)."""
    if isinstance(error, ValidationFailed):
        lines = [f"{field}: {message}" for field, messages in error.errors.items()
                 for message in messages]
        raise click.ClickException("\n".join(lines))
    raise click.ClickException(error.message)


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD).", param_hint=option) from None


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
# UNPROCESSED: a password is taken as typed, never normalised.
@click.option("--password", type=click.UNPROCESSED, help="Asked for when not given.")
def create_user_command(email: str, role: str, password: str | None) -> None:
    """Create an account with a role."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = auth_service.create_user(email, role=Role(role), password=password)
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("series_slug")
@click.option("--as", "role", type=click.Choice([Role.ORGANIZER.value, Role.RAPPORTEUR.value]),
              required=True)
def grant_command(email: str, series_slug: str, role: str) -> None:
    """Give an account organizer or rapporteur rights in a series."""
    from eventmgr.series.models import Series

    user = auth_service.get_user_by_email(email)
    series = db.session.scalar(select(Series).where(Series.slug == series_slug))
    if user is None or series is None:
        fail(DomainError(f"No account {email}." if user is None else f"No series {series_slug}."))
    try:
        auth_service.grant_series_role(user, series.id, Role(role))
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"{user.email} is {role} of {series.name}.")


@series_cli.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--description", default="")
def create_series_command(slug: str, name: str, description: str) -> None:
    """Create a series."""
    try:
        series = series_service.create_series(slug=slug, name=name, description=description)
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"Created series {series.slug}.")


@events_cli.command("create")
@click.option("--series", "series_slug", required=True)
@click.option("--slug", required=True)
@click.option("--title", required=True)
@click.option("--start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--end", required=True, help="Last day, YYYY-MM-DD.")
@click.option("--timezone", required=True, help="IANA name, e.g. Europe/Berlin.")
@click.option("--theme", default="")
@click.option("--city", default="")
@click.option("--country", default="", help="ISO 3166-1 alpha-2 code, e.g. DE.")
@click.option("--capacity", type=int)
@click.option("--mode", type=click.Choice([m.value for m in RegistrationMode]),
              default=RegistrationMode.INVITATION_ONLY.value)
def create_event_command(series_slug, slug, title, start, end, timezone, theme, city, country,
                         capacity, mode) -> None:
    """Create a draft event in a series."""
    try:
        series = series_service.get_series(series_slug)
        event = series_service.create_event(
            series, slug=slug, title=title, theme=theme,
            start_date=parse_date(start, "--start"), end_date=parse_date(end, "--end"),
            timezone=timezone, venue_city=city, venue_country=country or None,
            capacity=capacity, registration_mode=mode,
        )
    except DomainError as error:
        fail(error)
    db.session.commit()
    click.echo(f"Created event {event.slug} ({event.status.value}).")


@events_cli.command("list")
def list_events_command() -> None:
    """List every event: slug, dates, status, title."""
    events = db.session.scalars(select(Event).order_by(Event.start_date)).all()
    if not events:
        click.echo("No events.")
    for event in events:
        click.echo(f"{event.slug:<28} {event.start_date} – {event.end_date}  "
                   f"{event.status.value:<20} {event.title}")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Build the demo process; running it again changes nothing."""
    from eventmgr.demo import load_demo

    result = load_demo()
    db.session.commit()
    click.echo(result.summary())


@backup_cli.command("create")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Backup file; default instance/backups/eventmgr-<UTC time>.sqlite.")
def create_backup_command(output: Path | None) -> None:
    """Copy the live database to a file (SQLite online backup; the app keeps running)."""
    if output is None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        output = Path(current_app.instance_path) / "backups" / f"eventmgr-{stamp}.sqlite"
    try:
        pages = backup.create_backup(db.engine, output)
    except DomainError as error:
        fail(error)
    click.echo(f"Backed up {pages} pages to {output}.")


@backup_cli.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace every row of the live database by the backup's?")
def restore_backup_command(backup_file: Path) -> None:
    """Replace the live database's contents by a backup made with `flask backup create`."""
    try:
        pages = backup.restore_backup(db.engine, backup_file)
    except DomainError as error:
        fail(error)
    click.echo(f"Restored {pages} pages from {backup_file}.")


class NormalizedText(click.ParamType):
    """A text argument or option through the text normaliser (eventmgr.text), as form fields are."""

    name = "text"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value)
        except TextRefused as refused:
            self.fail(refused.message, param, ctx)


def normalize_text_params(command: click.Command) -> None:
    """Every plain-text parameter of the command (and its subcommands) normalised."""
    for param in command.params:
        if isinstance(param.type, click.types.StringParamType):
            param.type = NormalizedText()
    for subcommand in getattr(command, "commands", {}).values():
        normalize_text_params(subcommand)


def register_commands(app: Flask) -> None:
    groups = [users_cli, series_cli, events_cli, demo_cli, backup_cli]
    for package in COMMAND_PACKAGES:
        groups.extend(importlib.import_module(f"eventmgr.{package}.commands").commands)
    for group in groups:
        normalize_text_params(group)
        app.cli.add_command(group)
