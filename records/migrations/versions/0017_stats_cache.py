"""the dashboard's figures as last computed for an area and a narrowing, served while fresh

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("compute_ms", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"]),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("stats_cache", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stats_cache_area_id"), ["area_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stats_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stats_cache_area_id"))
    op.drop_table("stats_cache")
