"""shared state for several web processes and workers: a document's claim by the worker reading
it (the processing queue), rate-limit events, card reads waiting for their counter page

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_claimed_until"), ["claimed_until"], unique=False)
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=32), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rate_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_events_at"), ["at"], unique=False)
        batch_op.create_index("ix_rate_events_bucket_key_at", ["bucket", "key_sha256", "at"], unique=False)
    op.create_table(
        "station_reads",
        sa.Column("station_key", sa.String(length=96), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("station_key"),
    )


def downgrade() -> None:
    op.drop_table("station_reads")
    with op.batch_alter_table("rate_events", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_events_bucket_key_at")
        batch_op.drop_index(batch_op.f("ix_rate_events_at"))
    op.drop_table("rate_events")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_claimed_until"))
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
