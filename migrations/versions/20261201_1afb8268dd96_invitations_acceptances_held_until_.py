"""invitations: acceptances held until registration opens

Revision ID: 1afb8268dd96
Revises: 8822f6f0bc5a
Create Date: 2026-12-01 22:31:33.435035

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = '1afb8268dd96'
down_revision = '8822f6f0bc5a'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: existing invitations hold nothing.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', eventmgr.sqltypes.TZDateTime(), nullable=True))
        batch_op.add_column(sa.Column('held_details', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('held_details')
        batch_op.drop_column('held_at')
