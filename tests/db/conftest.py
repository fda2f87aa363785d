"""Fixtures of the database tests: a migrated database of each kind."""

from __future__ import annotations

import pytest

from desk.db import engine as db_engine
from desk.db import setup


@pytest.fixture(params=["sqlite", "postgresql"])
def log_engine(request, tmp_path):
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = db_engine.sqlite_url(tmp_path / "log.sqlite3")
    else:
        url = request.getfixturevalue("pg_url")
    engine = db_engine.make_engine(url)
    setup.upgrade(engine)
    yield engine
    engine.dispose()
