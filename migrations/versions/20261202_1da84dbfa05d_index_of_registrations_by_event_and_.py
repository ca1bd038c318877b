"""Index of registrations by event and status: the seat count under the event lock reads it alone

Revision ID: 1da84dbfa05d
Revises: e2a7b9c3d4f5
Create Date: 2026-12-02 01:57:12.737830

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '1da84dbfa05d'
down_revision = 'e2a7b9c3d4f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_registration_event_id_status', 'registration', ['event_id', 'status'], unique=False)


def downgrade():
    op.drop_index('ix_registration_event_id_status', table_name='registration')
