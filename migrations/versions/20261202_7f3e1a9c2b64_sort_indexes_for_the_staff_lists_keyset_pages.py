"""Indexes that serve the staff lists' sort orders, so a keyset page reads one page of index

The people's name order (lower family name, lower given name, id) for the registrations
list and the people directory, and an event's registrations by date of registration.

Revision ID: 7f3e1a9c2b64
Revises: 1da84dbfa05d
Create Date: 2026-12-02 05:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7f3e1a9c2b64'
down_revision = '1da84dbfa05d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_person_sort_name', 'person',
                    [sa.text('lower(family_name)'), sa.text('lower(given_name)'), 'id'], unique=False)
    op.create_index('ix_registration_event_id_registered_at', 'registration',
                    ['event_id', 'registered_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_registration_event_id_registered_at', table_name='registration')
    op.drop_index('ix_person_sort_name', table_name='person')
