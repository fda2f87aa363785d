"""The guarantee association's coefficient table comes from the packs, exact, and gives the
association's own published example."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy.orm import Session

from desk.costs.guarantee_fee import guarantee_fee
from desk.costs.repayment import Method, yearly_rate
from desk.db.loaders import load_catalogue


def test_the_bundled_table_is_kanagawas_with_its_confirmed_row(catalogue_engine):
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    for provider in ("kanagawa", "sagamihara"):   # the city's funds are guaranteed by the same association
        table = catalogue.providers[provider].fee_table
        assert table is not None
        assert [(r.least, r.most, r.equal) for r in table.rows] == [
            (2, 6, Fraction(7, 10)), (7, 12, Fraction(13, 20)), (13, 24, Fraction(3, 5)), (25, None, Fraction(11, 20))]
        assert [r.confirmed for r in table.rows] == [False, False, False, True]
    table = catalogue.providers["kanagawa"].fee_table
    assert table is not None
    assert guarantee_fee(10_000_000, yearly_rate("1.35"), 60, 0, Method.EQUAL_PRINCIPAL, table) == 371_250
