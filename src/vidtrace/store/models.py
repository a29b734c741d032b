"""The relational schema. Changes go through Alembic migrations (store/migrations/versions)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    literal_column,
    true,
)
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

# Stable constraint names, so migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Agency(Base):
    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2


class Case(Base):
    __tablename__ = "case"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Source(Base):
    """An evidence item handed to ``vidtrace ingest``: a folder or a file (often an archive)."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("case_id", "root_path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    root_path: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # folder | file
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Media(Base):
    """One binary-unique file, keyed by SHA-256."""

    __tablename__ = "media"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    md5: Mapped[str] = mapped_column(String(32), index=True)
    sha1: Mapped[str] = mapped_column(String(40), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    mime: Mapped[str | None] = mapped_column(String(100))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column(Float)
    pdq: Mapped[str | None] = mapped_column(String(64), index=True)
    pdq_quality: Mapped[int | None] = mapped_column(Integer)
    pdq_dihedral: Mapped[str | None] = mapped_column(Text)  # 8 hex hashes, comma-separated
    camera_make: Mapped[str | None] = mapped_column(String(200))
    camera_model: Mapped[str | None] = mapped_column(String(200))
    camera_serial: Mapped[str | None] = mapped_column(String(200), index=True)
    lens: Mapped[str | None] = mapped_column(String(200))
    software: Mapped[str | None] = mapped_column(String(200))
    taken_at: Mapped[str | None] = mapped_column(String(40))
    taken_at_offset: Mapped[str | None] = mapped_column(String(10))
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    gps_alt: Mapped[float | None] = mapped_column(Float)
    orientation: Mapped[int | None] = mapped_column(Integer)
    video_codec: Mapped[str | None] = mapped_column(String(50))
    video_frame_rate: Mapped[float | None] = mapped_column(Float)
    video_created_at: Mapped[str | None] = mapped_column(String(40))
    location_text: Mapped[str | None] = mapped_column(String(200))
    decode_error: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by matching against the banks (matching/): a known verdict hides the media from triage;
    # known-good (NSRL: operating-system and application files) hides it from review.
    precategorised: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    known_good: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    matched_generation: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set once the linkers have compared this media item with every other (series/).
    linked_generation: Mapped[int | None] = mapped_column(Integer, index=True)


# Search (store/search_queries.py, migration 0007). A PDQ hash is cut into 16 chunks of four hex
# characters, each indexed, so that hashes near a query are found by multi-index hashing; camera
# fields are indexed lower-cased for "starts with" (text_pattern_ops: PostgreSQL's LIKE 'x%' uses
# it in any collation). Paths, recognised text and clue values also have substring indexes that
# metadata cannot express: FTS5 trigram tables kept by triggers on SQLite (a migration that copies
# occurrence, media_text or clue must make those triggers again), pg_trgm GIN on PostgreSQL.
PDQ_SEARCH_CHUNKS = 16


def pdq_chunk(
    pdq: ColumnElement[str | None] | InstrumentedAttribute[str | None], chunk: int
) -> ColumnElement[str]:
    """The ``chunk``-th four hex characters of a PDQ hash, with literal positions so that a
    query's expression is the index's."""
    return func.substr(pdq, literal_column(str(4 * chunk + 1)), literal_column("4"))


for _chunk in range(PDQ_SEARCH_CHUNKS):
    Index(f"ix_media_pdq_chunk_{_chunk}", pdq_chunk(Media.pdq, _chunk))
for _field in ("camera_make", "camera_model", "camera_serial"):
    _lowered = func.lower(Media.__table__.c[_field]).label(f"{_field}_lower")
    Index(f"ix_media_{_field}_lower", _lowered, postgresql_ops={_lowered.name: "text_pattern_ops"})


def media_known() -> ColumnElement[bool]:
    """Media a bank knows (known material or known-good), as the partial index below has it."""
    return Media.precategorised.is_(True) | Media.known_good.is_(True)


# Triage counts every known item for a viewer of all cases on this index alone (migration 0009).
Index("ix_media_known", Media.sha256, postgresql_where=media_known(), sqlite_where=media_known())


class Occurrence(Base):
    """One place a media item was found: media x case x path, with its provenance."""

    __tablename__ = "occurrence"
    __table_args__ = (
        UniqueConstraint("source_id", "path"),
        Index("ix_occurrence_case_media", "case_id", "media_sha256"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    path: Mapped[str] = mapped_column(Text)  # unique within the source; "a.zip!/b/c.jpg"
    chain: Mapped[list[str]] = mapped_column(JSON, default=list)  # archives from the root down
    member_path: Mapped[str] = mapped_column(Text)  # path inside the innermost container
    size: Mapped[int | None] = mapped_column(BigInteger)
    mtime: Mapped[float | None] = mapped_column(Float)
    ctime: Mapped[float | None] = mapped_column(Float)
    atime: Mapped[float | None] = mapped_column(Float)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VideoFrame(Base):
    """A sampled video frame's PDQ (vPDQ-compatible)."""

    __tablename__ = "video_frame"
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), primary_key=True)
    frame: Mapped[int] = mapped_column(Integer, primary_key=True)
    seconds: Mapped[float] = mapped_column(Float)
    pdq: Mapped[str] = mapped_column(String(64))
    quality: Mapped[int] = mapped_column(Integer)


class Derivative(Base):
    """A vault file derived from a media item: its thumbnail, its video keyframes."""

    __tablename__ = "derivative"
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    vault_sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(50))
    seconds: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)


class SkippedFile(Base):
    """A file that could not be (fully) processed, with the reason. Kept so nothing is lost."""

    __tablename__ = "skipped_file"
    __table_args__ = (UniqueConstraint("source_id", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    path: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    media_sha256: Mapped[str | None] = mapped_column(String(64))  # set when the bytes were hashed
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL needs 64 bits for big banks.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Counter(Base):
    """Named counters; ``bank_generation`` changes whenever the banks do, so media matched
    against an older generation are matched again."""

    __tablename__ = "counter"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class HashSet(Base):
    """A bank: one imported hash set (VICS, NSRL, ICSE), with its matching policy."""

    __tablename__ = "hash_set"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    format: Mapped[str] = mapped_column(String(20))
    bank_type: Mapped[str] = mapped_column(String(20))  # known | known-good | ignore
    pdq_threshold: Mapped[int] = mapped_column(Integer, default=31)
    source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(String(100))
    profile: Mapped[str | None] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    records_read: Mapped[int] = mapped_column(BigInteger, default=0)
    entries: Mapped[int] = mapped_column(BigInteger, default=0)
    rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    rejections: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    meta: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HashSetEntry(Base):
    """One record of a bank. PDQ entries are also in the workspace's bank PDQ index."""

    __tablename__ = "hash_set_entry"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    hash_set_id: Mapped[int] = mapped_column(ForeignKey("hash_set.id"), index=True)
    record: Mapped[int] = mapped_column(BigInteger)
    md5: Mapped[str | None] = mapped_column(String(32), index=True)
    sha1: Mapped[str | None] = mapped_column(String(40), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    pdq: Mapped[str | None] = mapped_column(String(64))
    photodna: Mapped[str | None] = mapped_column(Text)  # opaque: carried, never computed
    category: Mapped[str | None] = mapped_column(String(40))
    category_label: Mapped[str | None] = mapped_column(String(200))
    victim_identified: Mapped[bool | None] = mapped_column(Boolean)
    offender_identified: Mapped[bool | None] = mapped_column(Boolean)
    is_distributed: Mapped[bool | None] = mapped_column(Boolean)
    series: Mapped[str | None] = mapped_column(String(500))
    tags: Mapped[str | None] = mapped_column(Text)
    comments: Mapped[str | None] = mapped_column(Text)
    media_size: Mapped[int | None] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    file_paths: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Match(Base):
    """A media item found in a bank: how (kind, distance, dihedral variant or video frame), and
    what the bank entry said at match time (category, series, victim identified)."""

    __tablename__ = "match"
    __table_args__ = (UniqueConstraint("media_sha256", "entry_id", "kind"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    hash_set_id: Mapped[int] = mapped_column(ForeignKey("hash_set.id"), index=True)
    entry_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))  # md5 | sha1 | sha256 | pdq | video-pdq
    distance: Mapped[int] = mapped_column(Integer)
    dihedral: Mapped[str | None] = mapped_column(String(20))  # which PDQ variant matched
    frame: Mapped[int | None] = mapped_column(Integer)  # which sampled video frame matched
    category: Mapped[str | None] = mapped_column(String(40))
    category_label: Mapped[str | None] = mapped_column(String(200))
    series: Mapped[str | None] = mapped_column(String(500))
    victim_identified: Mapped[bool | None] = mapped_column(Boolean)
    matcher_version: Mapped[int] = mapped_column(Integer)
    matched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MediaLink(Base):
    """A reason to believe two media belong to one series, from one linker (domain Link)."""

    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("a_sha256", "b_sha256", "kind"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    a_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"))
    b_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    strength: Mapped[str] = mapped_column(String(10), index=True)  # strong | weak
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    linker_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Series(Base):
    """A group of media of one scene and production. ``merged_into`` is set when the series
    was folded into another one; it then has no members."""

    __tablename__ = "series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    decided: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    size: Mapped[int] = mapped_column(Integer, default=0)
    representative: Mapped[str | None] = mapped_column(String(64))
    links_by_kind: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    merged_into: Mapped[int | None] = mapped_column(Integer, index=True)
    # The likely country of production, once an analyst decided it (CountryAssessment).
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    # The review workflow (web/triage): new -> in-analysis -> country-identified ->
    # victim-identified -> closed; each transition is an audit event.
    status: Mapped[str] = mapped_column(String(30), default="new", server_default="new", index=True)
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    last_activity: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Summary for triage, kept current by store/series_summary.py (with SeriesCase): members
    # that a bank knows, and distinct kinds of clue not rejected.
    known_members: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clue_kinds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Over every case, for viewers who see them all (admins); others count their own.
    case_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    agency_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Counts the summary's refreshes: what is derived from the members or their clues and
    # kept between reads (SeriesRanking) is current only while it carries this number.
    summary_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SeriesMember(Base):
    """Which series a media item is in. ``pinned`` members were placed by an analyst."""

    __tablename__ = "series_member"
    # The series page lists a series' members in SHA-256 order, a page at a time.
    __table_args__ = (Index("ix_series_member_series_media", "series_id", "media_sha256"),)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SeriesApart(Base):
    """Two series an analyst split apart: the grouping never joins them again."""

    __tablename__ = "series_apart"
    series_a: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    series_b: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)


class AuditEvent(Base):
    """Who did or saw what, when: analysts' decisions now, every view of evidence later."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    client: Mapped[str | None] = mapped_column(String(100))


class ClueRow(Base):
    """A clue to the country of production on one media item (domain Clue)."""

    __tablename__ = "clue"
    __table_args__ = (Index("ix_clue_kind_value", "kind", "value"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(500))
    countries: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    confidence: Mapped[float] = mapped_column(Float)
    extractor: Mapped[str | None] = mapped_column(String(40))
    extractor_version: Mapped[int | None] = mapped_column(Integer)
    analyst: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    box_x: Mapped[float | None] = mapped_column(Float)
    box_y: Mapped[float | None] = mapped_column(Float)
    box_width: Mapped[float | None] = mapped_column(Float)
    box_height: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MediaText(Base):
    """Text read off a media item (OCR), kept so analysts can search it."""

    __tablename__ = "media_text"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    text: Mapped[str] = mapped_column(Text)
    script: Mapped[str] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    language_probability: Mapped[float] = mapped_column(Float, default=0.0)
    confidence: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    box_x: Mapped[float | None] = mapped_column(Float)
    box_y: Mapped[float | None] = mapped_column(Float)
    box_width: Mapped[float | None] = mapped_column(Float)
    box_height: Mapped[float | None] = mapped_column(Float)


class ClueExtraction(Base):
    """Which extractor (at which version) has read which media item, and what came of it: the
    record that makes ``clues extract`` resumable and lets a new extractor version re-run."""

    __tablename__ = "clue_extraction"
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), primary_key=True)
    extractor: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10), index=True)  # clues | nothing | skipped
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CountryAssessment(Base):
    """An analyst's decision on a series' likely country of production, and what it rests on."""

    __tablename__ = "country_assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    analyst: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    clue_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    ranking: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)  # as shown then


class SeriesRanking(Base):
    """A series' country ranking (as ``ranking_to_json`` gives it), kept between page views:
    ranking a big series' clues takes longer than a page may. Current only while ``version``
    equals the series' ``summary_version`` (store/series_rankings.py)."""

    __tablename__ = "series_ranking"
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    ranking: Mapped[dict[str, object]] = mapped_column(JSON)


class PublishedObject(Base):
    """An object crop proposed for Trace an Object and its way to the public portal (publish/):
    proposed -> published (after two approvals by distinct reviewers, not the proposer) or
    rejected; a published object can be withdrawn. ``public_id`` is all the portal knows of it.
    ``box`` and ``polygon`` are fractions of the picture's width and height; ``outside`` says
    what the sanitiser does outside the polygon: keep, blur or mask."""

    __tablename__ = "published_object"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    media_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), index=True)
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)  # when proposed
    box: Mapped[list[float]] = mapped_column(JSON)
    polygon: Mapped[list[list[float]] | None] = mapped_column(JSON)
    outside: Mapped[str] = mapped_column(String(10), default="keep", server_default="keep")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str] = mapped_column(String(40), index=True)
    proposer: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(20), default="proposed", server_default="proposed", index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")  # why rejected or withdrawn
    # The sanitised rendering in the vault: what reviewers approve is what is published.
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ObjectReview(Base):
    """One reviewer's approval or rejection of a proposed object (four eyes: two approvals)."""

    __tablename__ = "object_review"
    object_id: Mapped[int] = mapped_column(ForeignKey("published_object.id"), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(200), primary_key=True)
    decision: Mapped[str] = mapped_column(String(10))  # approve | reject
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Tip(Base):
    """A tip from the public about a published object, pulled from the portal. ``portal_seq``
    is the portal's number for it, so pulling again never stores it twice. Moderation:
    new -> useful, duplicate, spam or forwarded. A useful tip naming a place becomes a ``tip``
    clue (``clue_id``) on the object's media item."""

    __tablename__ = "tip"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    portal_seq: Mapped[int] = mapped_column(BigId, unique=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("published_object.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2))
    place: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    spam_signs: Mapped[list[str]] = mapped_column(JSON, default=list)  # the portal's heuristics
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new", index=True)
    cluster_key: Mapped[str | None] = mapped_column(String(64), index=True)
    moderator: Mapped[str | None] = mapped_column(String(200))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    clue_id: Mapped[int | None] = mapped_column(BigId)


class CountryNotification(Base):
    """A country to be told about a series produced on its territory; a later step sends it."""

    __tablename__ = "country_notification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("country_assessment.id"), index=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Operation(Base):
    """A joint operation (a Taskforce) that agencies take part in and cases are shared with."""

    __tablename__ = "operation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OperationAgency(Base):
    __tablename__ = "operation_agency"
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)


class CaseShare(Base):
    """A case shared with an operation: every agency in the operation may see it."""

    __tablename__ = "case_share"
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operation.id"), primary_key=True)


class User(Base):
    """A workbench account. ``role``: admin, analyst, reviewer, moderator or read-only."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # Exposure defaults the user chose: blur radius in pixels, and greyscale until revealed.
    blur_level: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    greyscale: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    """A logged-in browser. Only the token's SHA-256 is stored; ``last_seen`` drives expiry."""

    __tablename__ = "web_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    client: Mapped[str | None] = mapped_column(String(100))


class LoginAttempt(Base):
    """A failed login, kept for rate limiting: keyed by a hash of the client and account."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class SeriesNote(Base):
    """The notes thread of a series."""

    __tablename__ = "series_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseKnownMedia(Base):
    """Summary for triage's "known items hidden": each case's media that a bank knows (known
    material or known-good). Derived from occurrence x media by store/series_summary.py."""

    __tablename__ = "case_known_media"
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True)
    media_sha256: Mapped[str] = mapped_column(
        ForeignKey("media.sha256"), primary_key=True, index=True
    )


class SeriesCase(Base):
    """Summary for triage: the cases holding members of a series, and how many members each
    (distinct media). Derived from series_member x occurrence by store/series_summary.py."""

    __tablename__ = "series_case"
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), primary_key=True, index=True)
    members: Mapped[int] = mapped_column(Integer)
