"""agenda items without a time or a day, side events

Revision ID: 5b1e0c7d9a31
Revises: 2e84437197af
Create Date: 2026-12-02 09:00:00

"""
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = '5b1e0c7d9a31'
down_revision = '2e84437197af'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('is_side_event', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column('starts_at', existing_type=eventmgr.sqltypes.TZDateTime(), nullable=True)
        batch_op.alter_column('ends_at', existing_type=eventmgr.sqltypes.TZDateTime(), nullable=True)

    # Every existing item is timed: its day is its local date, and its place is its rank in
    # that day by start (then by the old position, which ordered items starting together).
    connection = op.get_bind()
    event = sa.table('event', sa.column('id', sa.Integer()), sa.column('timezone', sa.String()))
    session = sa.table('agenda_session', sa.column('id', sa.Integer()), sa.column('event_id', sa.Integer()),
                       sa.column('starts_at', eventmgr.sqltypes.TZDateTime()), sa.column('position', sa.Integer()),
                       sa.column('day', sa.Date()))
    zones = {row.id: ZoneInfo(row.timezone) for row in connection.execute(sa.select(event.c.id, event.c.timezone))}
    places: dict[tuple, int] = {}
    for row in connection.execute(sa.select(session.c.id, session.c.event_id, session.c.starts_at)
                                  .order_by(session.c.event_id, session.c.starts_at, session.c.position,
                                            session.c.id)):
        day = row.starts_at.astimezone(zones[row.event_id]).date()
        position = places.get((row.event_id, day), 0)
        places[(row.event_id, day)] = position + 1
        connection.execute(session.update().where(session.c.id == row.id).values(day=day, position=position))

    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_session_programme_order', ['event_id', 'day', 'position'], unique=False)
        batch_op.create_check_constraint(op.f('ck_agenda_session_end_needs_start'),
                                         'starts_at IS NOT NULL OR ends_at IS NULL')
        batch_op.create_check_constraint(op.f('ck_agenda_session_timed_has_day'),
                                         'starts_at IS NULL OR day IS NOT NULL')


def downgrade():
    # Items without a time cannot go back: the old schema has no place for them.
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_session_timed_has_day'), type_='check')
        batch_op.drop_constraint(op.f('ck_agenda_session_end_needs_start'), type_='check')
        batch_op.drop_index('ix_agenda_session_programme_order')
        batch_op.alter_column('ends_at', existing_type=eventmgr.sqltypes.TZDateTime(), nullable=False)
        batch_op.alter_column('starts_at', existing_type=eventmgr.sqltypes.TZDateTime(), nullable=False)
        batch_op.drop_column('is_side_event')
        batch_op.drop_column('day')
