"""Storage: SQLAlchemy models, repositories, Alembic migrations and the content-addressed vault."""
