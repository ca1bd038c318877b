"""letterhead of an event's letters to participants

Revision ID: d3bc4719d49f
Revises: 47fd02a7e7f6
Create Date: 2026-12-01 22:38:09.111709

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = 'd3bc4719d49f'
down_revision = '47fd02a7e7f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letterhead',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_function', sa.Text(), nullable=False),
    sa.Column('visa_addressee', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_letterhead_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_letterhead'))
    )


def downgrade():
    op.drop_table('letterhead')
