"""attachments of outbox messages

Revision ID: 5e0a1c7b9f21
Revises: d3bc4719d49f
Create Date: 2026-12-01 22:38:09.111709

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = '5e0a1c7b9f21'
down_revision = 'd3bc4719d49f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_message_attachment_message_id_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_attachment'))
    )
    with op.batch_alter_table('message_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_attachment_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('message_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_attachment_message_id'))
    op.drop_table('message_attachment')
