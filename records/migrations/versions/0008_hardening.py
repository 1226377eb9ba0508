"""hardening: a person per centre, the audit head, tracking counters, server-side sessions,
sign-in failures per typed username

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    # a complainant per citizen ID and centre
    with op.batch_alter_table("complainants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complainants_citizen_id"))
        batch_op.create_index(batch_op.f("ix_complainants_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_unique_constraint("uq_complainants_citizen_id_area_id", ["citizen_id", "area_id"])

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")).first()
    conn.execute(
        sa.text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, :i, :h)"),
        {"i": last[0] if last else 0, "h": last[1] if last else GENESIS},
    )

    op.create_table(
        "tracking_counters",
        sa.Column("prefix", sa.String(length=24), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix"),
    )
    highest: dict[str, int] = {}
    for (no,) in conn.execute(sa.text("SELECT tracking_no FROM complaints")):
        prefix, _, seq = no.rpartition("-")
        if seq.isdigit():
            highest[prefix + "-"] = max(highest.get(prefix + "-", 0), int(seq))
    for prefix, seq in sorted(highest.items()):
        conn.execute(sa.text("INSERT INTO tracking_counters (prefix, last) VALUES (:p, :n)"), {"p": prefix, "n": seq})

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_web_sessions_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "sign_in_failures",
        sa.Column("username_sha256", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username_sha256"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_expires_at"))
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    op.drop_table("tracking_counters")
    op.drop_table("audit_head")
    with op.batch_alter_table("complainants", schema=None) as batch_op:
        batch_op.drop_constraint("uq_complainants_citizen_id_area_id", type_="unique")
        batch_op.drop_index(batch_op.f("ix_complainants_citizen_id"))
        batch_op.create_index(batch_op.f("ix_complainants_citizen_id"), ["citizen_id"], unique=True)
