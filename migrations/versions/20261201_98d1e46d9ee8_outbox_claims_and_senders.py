"""outbox claims and senders: a lease on each claimed message, and the senders last heard from

Revision ID: 98d1e46d9ee8
Revises: 7be4f0f0bca9
Create Date: 2026-12-01 22:48:45.258703

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = '98d1e46d9ee8'
down_revision = '7be4f0f0bca9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_sender',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('started_at', eventmgr.sqltypes.TZDateTime(), nullable=False),
    sa.Column('last_run_at', eventmgr.sqltypes.TZDateTime(), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('retrying', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('last_problem', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_mail_sender'))
    )
    with op.batch_alter_table('mail_sender', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_sender_last_run_at'), ['last_run_at'], unique=False)

    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', eventmgr.sqltypes.TZDateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')

    with op.batch_alter_table('mail_sender', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_sender_last_run_at'))

    op.drop_table('mail_sender')
