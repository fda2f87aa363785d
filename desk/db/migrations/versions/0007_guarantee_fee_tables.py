"""fee_table: a guarantee association's fee coefficients; provider.guarantee_fee_table_id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fee_table',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('association', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('interpretations', sa.JSON(), nullable=False),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fee_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_table_pack_id'), ['pack_id'], unique=False)
    # Providers have no table until their pack is imported again (the bundled packs are, on upgrade).
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guarantee_fee_table_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_column('guarantee_fee_table_id')
    with op.batch_alter_table('fee_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_table_pack_id'))
    op.drop_table('fee_table')
