"""national areas: every province, district and sub-district with its DOPA code (geothai);
the codes already in use keep working (records.geography)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from records.geography import ensure_areas

    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dopa_code", sa.String(length=6), nullable=True))
        batch_op.create_index(batch_op.f("ix_areas_dopa_code"), ["dopa_code"], unique=True)
    ensure_areas(op.get_bind())


def downgrade() -> None:
    op.execute("DELETE FROM areas WHERE kind = 'subdistrict'")
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_areas_dopa_code"))
        batch_op.drop_column("dopa_code")
