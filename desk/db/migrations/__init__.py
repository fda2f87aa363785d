"""Alembic migrations of desk's schema.

HEAD_REVISION lets start-up confirm the schema is current with one SELECT,
without importing Alembic; a test keeps it equal to the scripts' real head.
"""

HEAD_REVISION = "0010"
