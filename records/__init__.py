"""Records: the source of truth — the database (SQLAlchemy 2.0 models, Alembic migrations, the
services that hold the rules: areas, users, complaints, complainants, audit, case files) and the
content-addressed object store of every original."""
