"""The agenda migrations keep what is there: timed items get their local day and their rank
in it, roles their person's position as function, people the given-name-first order. On
SQLite the tables are rebuilt: the rows referring to them (roles) must survive that."""

import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestingConfig
from eventmgr import create_app
from eventmgr.extensions import db

BEFORE = "2e84437197af"  # the last revision before agenda items could lack a time


def test_existing_agenda_rows_are_carried_over(empty_database_url):
    # A database of its own: tables built by the migrations have their columns in another order
    # than the models' create_all, so the worker's database (whose prebuilt snapshots are copied
    # back column by column) must keep the schema it had.
    config = type("MigrationConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    app = create_app(config)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            run = connection.execute
            run(
                sa.text(
                    "INSERT INTO series (id, slug, name, description, mandate_references, created_at) "
                    "VALUES (1, 's', 'S', '', '', '2014-01-01 00:00:00')"
                )
            )
            run(
                sa.text(
                    "INSERT INTO event (id, series_id, slug, title, theme, background, start_date, end_date, "
                    "timezone, venue_name, venue_city, status, registration_mode, created_at, updated_at) "
                    "VALUES (1, 1, 'e', 'E', '', '', '2014-11-20', '2014-11-21', 'Europe/Berlin', '', '', "
                    "'draft', 'open', '2014-01-01 00:00:00', '2014-01-01 00:00:00')"
                )
            )
            run(
                sa.text(
                    "INSERT INTO person (id, honorific, given_name, family_name, email, email_key, "
                    "search_key, position, consent_to_list, created_at) "
                    "VALUES (1, '', 'Ada', 'Lovelace', 'a@x.org', 'a@x.org', 'ada lovelace', 'Director', "
                    "false, "
                    "'2014-01-01 00:00:00')"
                )
            )
            # Stored in UTC: 23:30 UTC on the 20th is 00:30 on the 21st in Berlin.
            for identifier, starts in (
                (1, "2014-11-20 10:00:00"),
                (2, "2014-11-20 08:00:00"),
                (3, "2014-11-20 23:30:00"),
            ):
                run(
                    sa.text(
                        "INSERT INTO agenda_session (id, event_id, kind, title, description, starts_at, "
                        "ends_at, position, is_published, is_cancelled, sequence, created_at, updated_at) "
                        f"VALUES ({identifier}, 1, 'panel', 'P{identifier}', '', '{starts}', '{starts}', 0, "
                        "false, false, 0, '2014-01-01 00:00:00', '2014-01-01 00:00:00')"
                    )
                )
            run(
                sa.text(
                    "INSERT INTO session_role (id, session_id, person_id, role, position) "
                    "VALUES (1, 1, 1, 'speaker', 0)"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            sessions = connection.execute(
                sa.text("SELECT id, day, position, is_side_event FROM agenda_session ORDER BY id")
            ).all()
            role = connection.execute(
                sa.text("SELECT function, organization_id, state FROM session_role")
            ).one()
            person = connection.execute(sa.text("SELECT name_order, email_key FROM person")).one()
        db.engine.dispose()
    assert [(s.id, str(s.day), s.position, bool(s.is_side_event)) for s in sessions] == [
        (1, "2014-11-20", 1, False),
        (2, "2014-11-20", 0, False),
        (3, "2014-11-21", 0, False),
    ]
    assert tuple(role) == ("Director", None, None)
    assert tuple(person) == ("given_family", "a@x.org")
