"""The loan catalogue and the contact directory as plain, immutable objects (no database, no Qt)."""
