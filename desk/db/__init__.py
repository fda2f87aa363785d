"""Storage: models, engine, migrations and the data-pack loader (no Qt)."""
