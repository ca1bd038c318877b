"""search keys for people and organizations

Revision ID: efdcf9b5ec3c
Revises: c2cd1bb49091
Create Date: 2026-12-01 22:20:54.569907

"""
from alembic import op
import sqlalchemy as sa

from eventmgr.normalize import search_key


# revision identifiers, used by Alembic.
revision = 'efdcf9b5ec3c'
down_revision = 'c2cd1bb49091'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start empty and are filled below from their names.
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=400), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_organization_search_key'), ['search_key'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=300), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_person_search_key'), ['search_key'], unique=False)

    connection = op.get_bind()
    organization = sa.table('organization', sa.column('id'), sa.column('name'), sa.column('acronym'),
                            sa.column('search_key'))
    for row in connection.execute(sa.select(organization.c.id, organization.c.name, organization.c.acronym)):
        connection.execute(organization.update().where(organization.c.id == row.id).values(
            search_key=search_key(f"{row.name} {row.acronym or ''}")))
    person = sa.table('person', sa.column('id'), sa.column('given_name'), sa.column('family_name'),
                      sa.column('search_key'))
    for row in connection.execute(sa.select(person.c.id, person.c.given_name, person.c.family_name)):
        connection.execute(person.update().where(person.c.id == row.id).values(
            search_key=search_key(f"{row.given_name} {row.family_name}")))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_search_key'))
        batch_op.drop_column('search_key')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_search_key'))
        batch_op.drop_column('search_key')
