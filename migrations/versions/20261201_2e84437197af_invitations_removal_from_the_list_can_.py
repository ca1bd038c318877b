"""invitations: removal from the list can be undone

Revision ID: 2e84437197af
Revises: 1afb8268dd96
Create Date: 2026-12-01 22:31:45.763923

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = '2e84437197af'
down_revision = '1afb8268dd96'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: every existing invitation is on its list.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', eventmgr.sqltypes.TZDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
