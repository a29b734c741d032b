"""series summary for triage: series_case, series.known_members, series.clue_kinds

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The summary of the series already there, as store/series_summary.py computes it (written out
# here so the migration does not change when that module does).
FILL_CASES = """
INSERT INTO series_case (series_id, case_id, members)
SELECT series_member.series_id, occurrence.case_id, count(DISTINCT occurrence.media_sha256)
FROM series_member JOIN occurrence ON occurrence.media_sha256 = series_member.media_sha256
GROUP BY series_member.series_id, occurrence.case_id
"""
FILL_COUNTS = """
UPDATE series SET
  known_members = (
    SELECT count(*) FROM series_member JOIN media ON media.sha256 = series_member.media_sha256
    WHERE series_member.series_id = series.id
      AND (media.precategorised = :yes OR media.known_good = :yes)),
  clue_kinds = (
    SELECT count(DISTINCT clue.kind) FROM series_member
    JOIN clue ON clue.media_sha256 = series_member.media_sha256
    WHERE series_member.series_id = series.id AND clue.status != 'rejected')
"""


def upgrade() -> None:
    op.create_table(
        "series_case",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_series_case_case_id_case")),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_series_case_series_id_series")
        ),
        sa.PrimaryKeyConstraint("series_id", "case_id", name=op.f("pk_series_case")),
    )
    with op.batch_alter_table("series_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_series_case_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("known_members", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("clue_kinds", sa.Integer(), server_default="0", nullable=False)
        )

    op.execute(sa.text(FILL_CASES))
    op.execute(sa.text(FILL_COUNTS).bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_column("clue_kinds")
        batch_op.drop_column("known_members")

    with op.batch_alter_table("series_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_case_case_id"))

    op.drop_table("series_case")
