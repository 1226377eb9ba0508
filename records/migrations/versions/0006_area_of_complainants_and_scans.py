"""the centre that took in a complainant or scanned a batch

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("complainants", "scan_batches"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_area_id"), ["area_id"], unique=False)
            batch_op.create_foreign_key(f"fk_{table}_area_id_areas", "areas", ["area_id"], ["id"])


def downgrade() -> None:
    for table in ("scan_batches", "complainants"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_area_id_areas", type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_area_id"))
            batch_op.drop_column("area_id")
