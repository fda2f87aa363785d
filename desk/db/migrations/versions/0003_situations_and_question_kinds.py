"""situations; what a question stands for (kind, implies, family, settled_by); a plan's contact

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('situation',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('choosable', sa.Boolean(), nullable=False),
    sa.Column('step', sa.Text(), nullable=True),
    sa.Column('contact', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('source_file', sa.String(length=128), nullable=True),
    sa.Column('source_section', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['data_pack.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_situation_pack_id'), ['pack_id'], unique=False)
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=64), nullable=True))
    # Existing questions are plain questions until their pack is imported again.
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='question'))
        batch_op.add_column(sa.Column('implies', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('family', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('settled_by', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        for column in ('settled_by', 'reason', 'family', 'implies', 'kind'):
            batch_op.drop_column(column)
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('contact')
    with op.batch_alter_table('situation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_situation_pack_id'))
    op.drop_table('situation')
