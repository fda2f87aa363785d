"""business_key on log_entry, log_cause and log_fund; log_follow_up; the visitor's details by id

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:00:00

The monthly report counts businesses as well as consultations (相談事業者数): each list row gains
the key of its business (desk.log.business.business_key of the business name and the place, or the
record's own id without a name), computed for the records already there from the columns the list
row holds, a batch at a time (the normalisation is Unicode's NFKC: Python's, not the database's),
and copied to its causes and funds by the database; the counting indexes end with it, so a count
of businesses reads the index alone. What became of a consultation, entered later, has a table
of its own. The CSV with the visitor's details reads them from an index of (id, visitor_name,
visitor_phone) rather than from the wide rows.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BATCH = 5_000
_INDEXES = (('ix_log_entry_month_day', 'log_entry', ['month', 'day']),
            ('ix_log_cause_cause_day', 'log_cause', ['cause', 'day']),
            ('ix_log_fund_fund_id_day', 'log_fund', ['fund_id', 'day']))


def upgrade() -> None:
    # Not batches: a nullable column is added in place on SQLite too (log_entry is WITHOUT ROWID).
    for table in ('log_entry', 'log_cause', 'log_fund'):
        op.add_column(table, sa.Column('business_key', sa.String(length=36), nullable=True))
    for name, table, _ in _INDEXES:
        op.drop_index(name, table_name=table)
    op.create_table('log_follow_up',
    sa.Column('consultation_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id')
    )
    connection = op.get_bind()
    _backfill(connection)
    for table in ('log_cause', 'log_fund'):
        connection.execute(sa.text(
            f"UPDATE {table} SET business_key = (SELECT e.business_key FROM log_entry e"
            f" WHERE e.consultation_id = {table}.consultation_id)"))
    # The indexes after the rows: built once rather than kept up row by row.
    for name, table, columns in _INDEXES:
        op.create_index(name, table, [*columns, 'business_key'], unique=False)
    op.create_index('ix_consultation_visitor', 'consultation', ['id', 'visitor_name', 'visitor_phone'], unique=False)


def _backfill(connection: sa.Connection) -> None:
    from desk.log.business import business_key

    entry = sa.table('log_entry', sa.column('consultation_id'), sa.column('business_name'),
                     sa.column('municipality'), sa.column('business_key'))
    update = sa.update(entry).where(entry.c.consultation_id == sa.bindparam('record_id')) \
        .values(business_key=sa.bindparam('key'))
    after = ''
    while True:
        rows = connection.execute(
            sa.select(entry.c.consultation_id, entry.c.business_name, entry.c.municipality)
            .where(entry.c.consultation_id > after).order_by(entry.c.consultation_id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(update, [{'record_id': record_id, 'key': business_key(name, place) or record_id}
                                    for record_id, name, place in rows])
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index('ix_consultation_visitor', table_name='consultation')
    op.drop_table('log_follow_up')
    for name, table, columns in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
    for table in ('log_entry', 'log_cause', 'log_fund'):
        op.drop_column(table, 'business_key')
