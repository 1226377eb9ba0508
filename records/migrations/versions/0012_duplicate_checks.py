"""what the duplicate check looks up: a complaint's respondent as compared (respondent_key), its
text sketch in bands (complaint_text_bands), its category and place, and complaints linked as
related (complaint_links); existing complaints get their key and sketch here

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respondent_key", sa.String(length=256), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_complaints_respondent_key"), ["respondent_key"], unique=False)
        batch_op.create_index(
            "ix_complaints_category_place", ["category_id", "incident_province", "incident_district"], unique=False
        )
        batch_op.create_index("ix_complaints_latitude", ["latitude"], unique=False)
    op.create_table(
        "complaint_text_bands",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("complaint_id", "band"),
    )
    with op.batch_alter_table("complaint_text_bands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_text_bands_band_key"), ["band_key"], unique=False)
    op.create_table(
        "complaint_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["related_id"], ["complaints.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("complaint_id", "related_id", name="uq_complaint_links_pair"),
    )
    with op.batch_alter_table("complaint_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_links_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_links_related_id"), ["related_id"], unique=False)
    _backfill()


def _backfill() -> None:
    """Every complaint already held gets its respondent key and text sketch."""
    from records.duplicates import band_keys
    from thai.respondents import respondent_key

    conn = op.get_bind()
    complaints = sa.table(
        "complaints", sa.column("id"), sa.column("respondent_name"), sa.column("respondent_key"), sa.column("summary")
    )
    bands = sa.table("complaint_text_bands", sa.column("complaint_id"), sa.column("band"), sa.column("band_key"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(complaints.c.id, complaints.c.respondent_name, complaints.c.summary)
            .where(complaints.c.id > last)
            .order_by(complaints.c.id)
            .limit(2000)
        ).all()
        if not rows:
            return
        for cid, name, summary in rows:
            conn.execute(
                complaints.update().where(complaints.c.id == cid).values(respondent_key=respondent_key(name or ""))
            )
            keys = band_keys(summary or "")
            if keys:
                conn.execute(
                    bands.insert(), [{"complaint_id": cid, "band": i, "band_key": k} for i, k in enumerate(keys)]
                )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_table("complaint_links")
    op.drop_table("complaint_text_bands")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_latitude")
        batch_op.drop_index("ix_complaints_category_place")
        batch_op.drop_index(batch_op.f("ix_complaints_respondent_key"))
        batch_op.drop_column("respondent_key")
