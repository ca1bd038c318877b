"""`flask invitations add|send|remind`."""

import datetime as dt

import sqlalchemy as sa

from eventmgr.extensions import db
from eventmgr.invitations.models import Invitation
from eventmgr.mail.models import Message
from tests.builders import make_event, make_organization

CSV = (b"given_name,family_name,email,organization,organization_kind\n"
       b"Ada,Lovelace,ada@example.org,Analytical Engines,company\n")


def test_add_send_and_remind(app, tmp_path):
    path = tmp_path / "invitees.csv"
    path.write_bytes(CSV)
    runner = app.test_cli_runner()
    with app.app_context():
        slug = make_event(start_date=dt.date.today() + dt.timedelta(days=30),
                          end_date=dt.date.today() + dt.timedelta(days=30)).slug

    dry = runner.invoke(args=["invitations", "add", slug, str(path), "--dry-run"])
    added = runner.invoke(args=["invitations", "add", slug, str(path)])
    again = runner.invoke(args=["invitations", "add", slug, str(path)])
    sent = runner.invoke(args=["invitations", "send", slug])
    too_soon = runner.invoke(args=["invitations", "remind", slug, "--after-days", "3"])
    now = runner.invoke(args=["invitations", "remind", slug, "--after-days", "0"])
    unknown = runner.invoke(args=["invitations", "send", "nope"])

    assert dry.output == "Would invite 1 (0 already invited); 1 new person in the directory.\n"
    assert added.output == "Invited 1 (0 already invited); 1 new person in the directory.\n"
    assert again.output == "Invited 0 (1 already invited); 0 new people in the directory.\n"
    assert sent.output == "Queued 1 invitation; `flask outbox send` delivers them.\n"
    assert (too_soon.output, now.output) == ("Queued 0 reminders.\n", "Queued 1 reminder.\n")
    assert (unknown.exit_code, unknown.output) == (1, "Error: No event “nope”.\n")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
        kinds = db.session.scalars(sa.select(Message.kind).order_by(Message.id)).all()
        assert kinds == ["invitation", "reminder"]


def test_add_with_errors_writes_nothing(app, tmp_path):
    path = tmp_path / "invitees.csv"
    path.write_bytes(b"given_name,email\nAda,ada@example.org\n")
    with app.app_context():
        slug = make_event().slug

    result = app.test_cli_runner().invoke(args=["invitations", "add", slug, str(path)])

    assert result.exit_code == 1
    assert "nothing was written" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_add_organization_with_seats_and_a_new_contact(app):
    runner = app.test_cli_runner()
    with app.app_context():
        slug = make_event().slug
        make_organization("Verband der Chemischen Industrie", acronym="VCI")

    unknown = runner.invoke(args=["invitations", "add-organization", slug, "Nobody Inc", "--seats", "2",
                                  "--contact", "a@example.org"])
    nameless = runner.invoke(args=["invitations", "add-organization", slug, "VCI", "--seats", "2",
                                   "--contact", "p.vogel@vci.example"])
    added = runner.invoke(args=["invitations", "add-organization", slug, "vci", "--seats", "2",
                                "--contact", "p.vogel@vci.example", "--given-name", "Petra",
                                "--family-name", "Vogel"])
    twice = runner.invoke(args=["invitations", "add-organization", slug, "VCI", "--seats", "1",
                                "--contact", "p.vogel@vci.example"])

    assert (unknown.exit_code, unknown.output) == \
        (1, "Error: No organization “Nobody Inc” in the directory.\n")
    assert nameless.exit_code == 1 and "p.vogel@vci.example is not in the directory" in nameless.output
    assert added.output == ("Invited Verband der Chemischen Industrie with 2 seats; Petra Vogel "
                            "<p.vogel@vci.example> names the delegates.\n")
    assert (twice.exit_code, twice.output) == \
        (1, "Error: Verband der Chemischen Industrie is already invited to this event.\n")
    with app.app_context():
        invitation = db.session.scalar(sa.select(Invitation))
        assert (invitation.seats, invitation.person.email) == (2, "p.vogel@vci.example")
