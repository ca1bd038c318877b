"""`flask outbox send [--now] [--loop]`: deliver the outbox."""

import time

import click
from flask.cli import AppGroup

from eventmgr.extensions import db
from eventmgr.mail.sender import BATCH_SIZE, make_due_now, send_due_messages

outbox_cli = AppGroup("outbox", help="Deliver queued email.")

LOOP_PAUSE_SECONDS = 10


@outbox_cli.command("send")
@click.option("--now", is_flag=True,
              help="First make every queued message due, those waiting for a retry too (after an outage).")
@click.option("--loop", is_flag=True, help="Keep running, sending new messages as they come due.")
def send(now: bool, loop: bool) -> None:
    """Send every message that is due (retries included)."""
    if now:
        waiting = make_due_now()
        db.session.commit()
        click.echo(f"{waiting} waiting message{'s' if waiting != 1 else ''} due now")
    while True:
        report = send_due_messages()
        if report.sent or report.retrying or report.failed:
            click.echo(f"sent {report.sent}, will retry {report.retrying}, failed {report.failed}")
        if report.problem:
            click.echo(f"the mail server could not be reached: {report.problem}", err=True)
        if report.handled == BATCH_SIZE and report.problem is None:
            continue  # more may be due right now
        if not loop:
            return
        time.sleep(LOOP_PAUSE_SECONDS)


commands = [outbox_cli]
