"""municipality: its reading in hiragana (the form finds よこすか and ヨコスカ as 横須賀市)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 15:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('reading')
