"""report revisions store what changed: a whole snapshot now and then, else the changes

Revision ID: 8822f6f0bc5a
Revises: 98d1e46d9ee8
Create Date: 2026-12-01 22:58:19.937743

Existing revisions keep their whole snapshots (each is a checkpoint); new ones store
their changes against the one before (eventmgr.reports.revisions).
"""
from alembic import op
import sqlalchemy as sa

from eventmgr.reports.revisions import apply_changes


# revision identifiers, used by Alembic.
revision = '8822f6f0bc5a'
down_revision = '98d1e46d9ee8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.JSON(none_as_null=True), nullable=True))
        batch_op.alter_column('snapshot', existing_type=sa.JSON(), nullable=True)


def downgrade():
    # Every revision whole again, rebuilt from the checkpoint before it, before the column goes.
    revisions = sa.table('report_revision', sa.column('id', sa.Integer), sa.column('report_id', sa.Integer),
                         sa.column('number', sa.Integer), sa.column('snapshot', sa.JSON(none_as_null=True)),
                         sa.column('changes', sa.JSON(none_as_null=True)))
    connection = op.get_bind()
    snapshot, report_id = None, None
    for row in connection.execute(sa.select(revisions).order_by(revisions.c.report_id, revisions.c.number)):
        if row.report_id != report_id:
            snapshot, report_id = None, row.report_id
        if row.snapshot is not None:
            snapshot = row.snapshot
        else:
            snapshot = apply_changes(snapshot, row.changes)
            connection.execute(sa.update(revisions).where(revisions.c.id == row.id).values(snapshot=snapshot))
    with op.batch_alter_table('report_revision', schema=None) as batch_op:
        batch_op.alter_column('snapshot', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('changes')
