"""field teams: the sub-district team a complaint is assigned to, and the teams' reports from
the phone (position, before/after photos), each recorded once by the phone's own id

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_area_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_complaints_team_area_id"), ["team_area_id"], unique=False)
        batch_op.create_foreign_key("fk_complaints_team_area_id_areas", "areas", ["team_area_id"], ["id"])
    op.create_table(
        "field_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_uid", sa.String(length=64), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_area_id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_area_id"], ["areas.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_uid"),
    )
    with op.batch_alter_table("field_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_updates_complaint_id"), ["complaint_id"], unique=False)
    op.create_table(
        "field_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["update_id"], ["field_updates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("field_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_photos_update_id"), ["update_id"], unique=False)


def downgrade() -> None:
    op.drop_table("field_photos")
    op.drop_table("field_updates")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint("fk_complaints_team_area_id_areas", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_complaints_team_area_id"))
        batch_op.drop_column("team_area_id")
