"""email keys in the documented form (NFC, IDNA domain, ASCII case only)

Revision ID: a13e0a11e001
Revises: 5e0a1c7b9f21
Create Date: 2026-12-01 22:40:00

Earlier keys were NFKC + casefold, which made "glaß" and "glass" one address. No column
changes: the stored keys are recomputed. A key that would now collide with another row's
is left as it was (and reported), so the upgrade never fails half-way on old duplicates.
"""
from alembic import op
import sqlalchemy as sa

from eventmgr.normalize import normalize_email


# revision identifiers, used by Alembic.
revision = 'a13e0a11e001'
down_revision = '5e0a1c7b9f21'
branch_labels = None
depends_on = None


def _recompute(connection, table: str, source: str, key: str) -> None:
    rows = connection.execute(sa.text(f'SELECT id, {source}, {key} FROM "{table}" ORDER BY id')).all()
    taken = {row[2] for row in rows}
    for row_id, address, old_key in rows:
        new_key = normalize_email(address)
        if new_key == old_key:
            continue
        if new_key in taken:
            print(f"{table} {row_id}: {new_key} is another row's address; key left as {old_key}")
            continue
        connection.execute(sa.text(f'UPDATE "{table}" SET {key} = :key WHERE id = :id'),
                           {"key": new_key, "id": row_id})
        taken.discard(old_key)
        taken.add(new_key)


def upgrade():
    connection = op.get_bind()
    _recompute(connection, "person", "email", "email_key")
    _recompute(connection, "user", "email", "email")


def downgrade():
    pass  # the old keys cannot be rebuilt from the new ones, and the new ones also find their rows
