"""each document field's confidence, and who confirmed the fields when

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_confidence", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("fields_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("fields_confirmed_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_documents_fields_confirmed_by_users", "users", ["fields_confirmed_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("fk_documents_fields_confirmed_by_users", type_="foreignkey")
        batch_op.drop_column("fields_confirmed_by")
        batch_op.drop_column("fields_confirmed_at")
        batch_op.drop_column("field_confidence")
