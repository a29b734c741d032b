"""series page and triage: series.summary_version, series_ranking, index on series_member
(series_id, media_sha256), partial index of known media

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("summary_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "series_ranking",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_series_ranking_series_id_series")
        ),
        sa.PrimaryKeyConstraint("series_id", name=op.f("pk_series_ranking")),
    )
    op.create_index("ix_series_member_series_media", "series_member", ["series_id", "media_sha256"])
    op.drop_index("ix_series_member_series_id", table_name="series_member")
    # As models.media_known() compiles on each database, so that queries match the index.
    known = sa.column("precategorised").is_(True) | sa.column("known_good").is_(True)
    op.create_index(
        "ix_media_known", "media", ["sha256"], postgresql_where=known, sqlite_where=known
    )


def downgrade() -> None:
    op.drop_index("ix_media_known", table_name="media")
    op.create_index("ix_series_member_series_id", "series_member", ["series_id"])
    op.drop_index("ix_series_member_series_media", table_name="series_member")
    op.drop_table("series_ranking")
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_column("summary_version")
