"""people: a name order, and an optional given name and email

Revision ID: e2a7b9c3d4f5
Revises: 8c4d2f6a1e07
Create Date: 2026-12-02 09:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a7b9c3d4f5'
down_revision = '8c4d2f6a1e07'
branch_labels = None
depends_on = None


def upgrade():
    # Everyone so far wrote the given name first; an email key may now be NULL (no address),
    # which the unique constraint allows any number of times.
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_order', sa.Enum('given_family', 'family_given', name='nameorder',
                                                            native_enum=False, create_constraint=True, length=32),
                                      nullable=False, server_default='given_family'))
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=True)


def downgrade():
    op.execute("UPDATE person SET email_key = 'no-address-' || id WHERE email_key IS NULL")
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column('name_order')
