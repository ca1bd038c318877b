"""`flask outbox send [--loop]`: deliver the outbox."""

import time

import click
from flask.cli import AppGroup

from eventmgr.mail.sender import BATCH_SIZE, send_due_messages

outbox_cli = AppGroup("outbox", help="Deliver queued email.")

LOOP_PAUSE_SECONDS = 10


@outbox_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, sending new messages as they come due.")
def send(loop: bool) -> None:
    """Send every message that is due (retries included)."""
    while True:
        report = send_due_messages()
        if report.sent or report.retrying or report.failed:
            click.echo(f"sent {report.sent}, will retry {report.retrying}, failed {report.failed}")
        if report.handled == BATCH_SIZE:
            continue  # more may be due right now
        if not loop:
            return
        time.sleep(LOOP_PAUSE_SECONDS)


commands = [outbox_cli]
