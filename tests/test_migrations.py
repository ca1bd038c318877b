"""Migrations build the whole schema on an empty database, and agree with the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from config import TestingConfig
from eventmgr import create_app
from eventmgr.extensions import db


# SQLite cannot reflect an index on expressions (the people's name order): there the
# comparison leaves that one index out; PostgreSQL reflects and compares it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index ix_person_sort")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_upgrade_on_empty_database_matches_models(empty_database_url):
    config = type("MigrationConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    app = create_app(config)
    with app.app_context():
        upgrade()

        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert {"event", "series", "person", "registration", "agenda_session"} <= tables
