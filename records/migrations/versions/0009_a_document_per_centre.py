"""a document record per centre that files the same bytes (the stored object stays one)

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_sha256"))
        batch_op.create_index(batch_op.f("ix_documents_sha256"), ["sha256"], unique=False)
        batch_op.create_unique_constraint("uq_documents_sha256_area_id", ["sha256", "area_id"])


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documents_sha256_area_id", type_="unique")
        batch_op.drop_index(batch_op.f("ix_documents_sha256"))
        batch_op.create_index(batch_op.f("ix_documents_sha256"), ["sha256"], unique=True)
