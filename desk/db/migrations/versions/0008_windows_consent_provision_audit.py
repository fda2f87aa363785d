"""consultation.window_role, consent_to_share, referred_window; service_window, provision_log, catalogue_audit

The roles, grants, row-level security, triggers and functions that use them are the shared
server's (desk.db.server, `desk server init`): not part of the schema every database shares.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Issue 17's three columns of the consultation table, nothing else of it.
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_role', sa.String(length=63), nullable=True))
        batch_op.add_column(sa.Column('consent_to_share', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('referred_window', sa.String(length=63), nullable=True))
    op.create_table('service_window',
    sa.Column('role', sa.String(length=63), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('role')
    )
    op.create_table('provision_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reader', sa.String(length=63), nullable=False),
    sa.Column('consultation_id', sa.String(length=36), nullable=False),
    sa.Column('reference_no', sa.String(length=32), nullable=False),
    sa.Column('from_window', sa.String(length=63), nullable=True),
    sa.Column('to_window', sa.String(length=63), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('provision_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provision_log_at'), ['at'], unique=False)
    op.create_table('catalogue_audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('who', sa.String(length=63), nullable=False),
    sa.Column('table_name', sa.String(length=63), nullable=False),
    sa.Column('record_id', sa.Text(), nullable=True),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('old', sa.JSON(), nullable=True),
    sa.Column('new', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('catalogue_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_audit_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('catalogue_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_audit_at'))
    op.drop_table('catalogue_audit')
    with op.batch_alter_table('provision_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provision_log_at'))
    op.drop_table('provision_log')
    op.drop_table('service_window')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('referred_window')
        batch_op.drop_column('consent_to_share')
        batch_op.drop_column('window_role')
