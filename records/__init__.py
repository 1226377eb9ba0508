"""Records: the database, the source of truth (SQLAlchemy 2.0 models, Alembic migrations, services)."""
