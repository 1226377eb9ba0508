"""an index the dashboard's counts of an area are read from alone: area, status, category,
channel and received time, with (PostgreSQL) the closing time, due date, sub-category, officer,
last change and outcome included

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

INCLUDE = ["closed_at", "due_date", "subcategory_id", "officer_id", "updated_at", "outcome"]


def upgrade() -> None:
    op.create_index(
        "ix_complaints_stats",
        "complaints",
        ["area_id", "status", "category_id", "channel", "received_at"],
        unique=False,
        postgresql_include=INCLUDE,
    )


def downgrade() -> None:
    op.drop_index("ix_complaints_stats", table_name="complaints")
