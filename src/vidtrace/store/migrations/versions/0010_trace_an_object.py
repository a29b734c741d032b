"""Trace an Object: published_object, object_review, tip

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "published_object",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("media_sha256", sa.String(length=64), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("box", sa.JSON(), nullable=False),
        sa.Column("polygon", sa.JSON(), nullable=True),
        sa.Column("outside", sa.String(length=10), server_default="keep", nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("proposer", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="proposed", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("image_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("published_at", MOMENT, nullable=True),
        sa.Column("withdrawn_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(
            ["media_sha256"], ["media.sha256"], name=op.f("fk_published_object_media_sha256_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_object")),
        sa.UniqueConstraint("public_id", name=op.f("uq_published_object_public_id")),
    )
    for column in ("media_sha256", "series_id", "category", "status"):
        op.create_index(f"ix_published_object_{column}", "published_object", [column])
    op.create_table(
        "object_review",
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["published_object.id"],
            name=op.f("fk_object_review_object_id_published_object"),
        ),
        sa.PrimaryKeyConstraint("object_id", "reviewer", name=op.f("pk_object_review")),
    )
    op.create_table(
        "tip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portal_seq", BIG_ID, nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("spam_signs", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="new", nullable=False),
        sa.Column("cluster_key", sa.String(length=64), nullable=True),
        sa.Column("moderator", sa.String(length=200), nullable=True),
        sa.Column("moderated_at", MOMENT, nullable=True),
        sa.Column("clue_id", BIG_ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["object_id"], ["published_object.id"], name=op.f("fk_tip_object_id_published_object")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip")),
        sa.UniqueConstraint("portal_seq", name=op.f("uq_tip_portal_seq")),
    )
    for column in ("object_id", "status", "cluster_key"):
        op.create_index(f"ix_tip_{column}", "tip", [column])


def downgrade() -> None:
    for column in ("object_id", "status", "cluster_key"):
        op.drop_index(f"ix_tip_{column}", table_name="tip")
    op.drop_table("tip")
    op.drop_table("object_review")
    for column in ("media_sha256", "series_id", "category", "status"):
        op.drop_index(f"ix_published_object_{column}", table_name="published_object")
    op.drop_table("published_object")
