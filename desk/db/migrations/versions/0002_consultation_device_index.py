"""consultation: index by device and time (a laptop's records since its last export)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 21:00:00
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_device_id_created_at', ['device_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_device_id_created_at')
