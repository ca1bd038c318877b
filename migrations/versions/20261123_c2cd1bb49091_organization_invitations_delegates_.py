"""organization invitations: delegates counted by invitation

Revision ID: c2cd1bb49091
Revises: 9d09cf636157
Create Date: 2026-11-23 03:25:47.169271

"""
from alembic import op
import sqlalchemy as sa

import eventmgr.sqltypes


# revision identifiers, used by Alembic.
revision = 'c2cd1bb49091'
down_revision = '9d09cf636157'
branch_labels = None
depends_on = None


def upgrade():
    # No screen or command could make an invitation without a person: the contact is now required.
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_registration_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_registration_invitation_id_invitation'), 'invitation', ['invitation_id'], ['id'], ondelete='SET NULL')

    # Registrations made through a personal invitation so far: link them to it.
    op.execute(
        "UPDATE registration SET invitation_id = (SELECT invitation.id FROM invitation"
        " WHERE invitation.event_id = registration.event_id"
        " AND invitation.person_id = registration.person_id AND invitation.status = 'registered')"
    )


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_registration_invitation_id_invitation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_registration_invitation_id'))
        batch_op.drop_column('invitation_id')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=True)
