"""log_entry, log_cause, log_fund: what the log lists and counts, beside each record; backfilled

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00

A record's causes and referred funds were inside its JSON and its Japanese day was computed
from its time at every count: counting meant reading every record. These tables hold them as
rows (desk.log.records.entry_rows writes them with each record); the records already there are
copied here once, by the database itself (SQL per dialect: a log of a million records needs no
Python loop), with what entry_rows computes — the tests compare the two.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_SQLITE = {
    "day": "date(c.created_at, '+9 hours')",
    "month": "strftime('%Y-%m', c.created_at, '+9 hours')",
    "eligible": "coalesce(json_array_length(c.result, '$.eligible'), 0)",
    "conditional": "coalesce(json_array_length(c.result, '$.conditional'), 0)",
    "causes": "json_each(c.causes) AS j",
    "funds": "json_each(c.result, '$.{status}') AS j",
    "insert": "INSERT OR IGNORE INTO",
    "ignore": "",
}
_POSTGRESQL = {
    "day": "to_char(c.created_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD')",
    "month": "to_char(c.created_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')",
    "eligible": "coalesce(json_array_length(c.result -> 'eligible'), 0)",
    "conditional": "coalesce(json_array_length(c.result -> 'conditional'), 0)",
    "causes": "json_array_elements_text(c.causes) AS j(value)",
    "funds": "json_array_elements_text(c.result -> '{status}') AS j(value)",
    "insert": "INSERT INTO",
    "ignore": " ON CONFLICT DO NOTHING",
}


def upgrade() -> None:
    op.create_table('log_entry',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consultation_id', sa.String(length=36), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('reference_no', sa.String(length=32), nullable=False),
    sa.Column('window_name', sa.Text(), nullable=True),
    sa.Column('staff_name', sa.Text(), nullable=True),
    sa.Column('business_name', sa.Text(), nullable=True),
    sa.Column('industry', sa.String(length=32), nullable=True),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('causes', sa.JSON(), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('conditional', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('created_at', 'consultation_id'),
    sqlite_with_rowid=False
    )
    op.create_table('log_cause',
    sa.Column('consultation_id', sa.String(length=36), nullable=False),
    sa.Column('cause', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'cause')
    )
    op.create_table('log_fund',
    sa.Column('consultation_id', sa.String(length=36), nullable=False),
    sa.Column('fund_id', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'fund_id')
    )
    _backfill(op.get_bind())
    # The indexes after the rows: built once rather than kept up row by row.
    op.create_index('ix_log_entry_consultation_id', 'log_entry', ['consultation_id'], unique=True)
    op.create_index('ix_log_entry_month_day', 'log_entry', ['month', 'day'], unique=False)
    op.create_index('ix_log_entry_day', 'log_entry', ['day'], unique=False)
    op.create_index('ix_log_cause_cause_day', 'log_cause', ['cause', 'day'], unique=False)
    op.create_index('ix_log_fund_fund_id_day', 'log_fund', ['fund_id', 'day'], unique=False)


def _backfill(connection: sa.Connection) -> None:
    sql = _POSTGRESQL if connection.dialect.name == "postgresql" else _SQLITE
    connection.execute(sa.text(
        "INSERT INTO log_entry (created_at, consultation_id, day, month, reference_no, window_name, staff_name,"
        " business_name, industry, municipality, causes, eligible, conditional)"
        f" SELECT c.created_at, c.id, {sql['day']}, {sql['month']}, c.reference_no, c.window_name, c.staff_name,"
        f" c.business_name, c.industry, c.municipality, c.causes, {sql['eligible']}, {sql['conditional']}"
        " FROM consultation c"))
    connection.execute(sa.text(
        f"{sql['insert']} log_cause (consultation_id, cause, day)"
        f" SELECT c.id, j.value, {sql['day']} FROM consultation c, {sql['causes']}{sql['ignore']}"))
    # Eligible first: a fund a record names twice counts as eligible, as entry_rows says.
    for status in ("eligible", "conditional"):
        connection.execute(sa.text(
            f"{sql['insert']} log_fund (consultation_id, fund_id, status, day)"
            f" SELECT c.id, j.value, '{status}', {sql['day']}"
            f" FROM consultation c, {sql['funds'].format(status=status)}{sql['ignore']}"))


def downgrade() -> None:
    op.drop_table('log_fund')
    op.drop_table('log_cause')
    op.drop_table('log_entry')
