"""triage summary: series.case_count, series.agency_count (over every case), case_known_media

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As store/series_summary.py computes it, written out so the migration stays as it is.
FILL = """
UPDATE series SET
  case_count = (SELECT count(*) FROM series_case WHERE series_case.series_id = series.id),
  agency_count = (
    SELECT count(DISTINCT "case".agency_id) FROM series_case
    JOIN "case" ON "case".id = series_case.case_id
    WHERE series_case.series_id = series.id)
"""


FILL_KNOWN = """
INSERT INTO case_known_media (case_id, media_sha256)
SELECT DISTINCT occurrence.case_id, occurrence.media_sha256
FROM occurrence JOIN media ON media.sha256 = occurrence.media_sha256
WHERE media.precategorised = :yes OR media.known_good = :yes
"""


def upgrade() -> None:
    op.create_table(
        "case_known_media",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("media_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_known_media_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["media_sha256"],
            ["media.sha256"],
            name=op.f("fk_case_known_media_media_sha256_media"),
        ),
        sa.PrimaryKeyConstraint("case_id", "media_sha256", name=op.f("pk_case_known_media")),
    )
    with op.batch_alter_table("case_known_media", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_known_media_media_sha256"), ["media_sha256"], unique=False
        )
    op.execute(sa.text(FILL_KNOWN).bindparams(yes=True))
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("case_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("agency_count", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(sa.text(FILL))


def downgrade() -> None:
    with op.batch_alter_table("case_known_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_known_media_media_sha256"))
    op.drop_table("case_known_media")
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_column("agency_count")
        batch_op.drop_column("case_count")
