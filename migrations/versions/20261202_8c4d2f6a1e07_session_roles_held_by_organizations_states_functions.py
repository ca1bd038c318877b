"""session roles held by organizations, States or a function alone; a function per appearance

Revision ID: 8c4d2f6a1e07
Revises: 5b1e0c7d9a31
Create Date: 2026-12-02 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c4d2f6a1e07'
down_revision = '5b1e0c7d9a31'
branch_labels = None
depends_on = None


def upgrade():
    # Existing roles are people's; each takes its person's position as its function, the
    # default a role added now gets.
    with op.batch_alter_table('session_role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('function', sa.String(length=300), nullable=False, server_default=''))
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_session_role_organization_id'), ['organization_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_session_role_organization_id_organization'), 'organization',
                                    ['organization_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_check_constraint(
            op.f('ck_session_role_role_has_holder'),
            "person_id IS NOT NULL OR organization_id IS NOT NULL OR state IS NOT NULL OR function != ''")
    op.execute("UPDATE session_role SET function = (SELECT coalesce(position, '') FROM person "
               "WHERE person.id = session_role.person_id) WHERE person_id IS NOT NULL")


def downgrade():
    op.execute("DELETE FROM session_role WHERE person_id IS NULL")
    with op.batch_alter_table('session_role', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_session_role_role_has_holder'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_session_role_organization_id_organization'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_session_role_organization_id'))
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('function')
        batch_op.drop_column('state')
        batch_op.drop_column('organization_id')
