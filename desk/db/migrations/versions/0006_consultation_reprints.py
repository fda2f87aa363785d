"""consultation: the match its sheet was made from, its reprints, which personal details were purged

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('reprint_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reprinted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('visitor_name_purged', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('visitor_phone_purged', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('visitor_phone_purged')
        batch_op.drop_column('visitor_name_purged')
        batch_op.drop_column('reprinted_at')
        batch_op.drop_column('reprint_count')
        batch_op.drop_column('report')
