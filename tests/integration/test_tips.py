"""Tips from the public on both databases: pulled from a fake portal page by page and stored
once, clustered, moderated with audit rows, and a useful tip naming a place counted once in
its series' country ranking until it is marked spam."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest
from sqlalchemy import Engine, func, insert, select, update

from tests.kit.tips import FakePortal, Published, publish_object, store_tip, tip_id
from tests.kit.workbench import add_media
from vidtrace import cli_tips
from vidtrace.cli import main
from vidtrace.clues.assessment import CountryAssessor
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.publish.portal_client import PortalError
from vidtrace.publish.tip_moderation import TipModeration
from vidtrace.publish.tip_pull import pull_tips
from vidtrace.store.audit import audit_trail
from vidtrace.store.clue_queries import ClueQueries
from vidtrace.store.country_decisions import CountryDecisions
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import Agency, Case, ClueRow, Series, Source, Tip
from vidtrace.store.tip_queries import TipQueries
from vidtrace.store.tips import TipError, TipStore

ADMIN = Viewer(user_id=9, name="root", role=Role.ADMIN, agency_id=None)
ANNA = Viewer(user_id=1, name="anna", role=Role.MODERATOR, agency_id=1, agency="Agency NL")
DIRK = Viewer(user_id=2, name="dirk", role=Role.MODERATOR, agency_id=2, agency="Agency DE")


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """Media 1 and 2 (series 1 and 2) in NL's case, media 3 (series 3) in DE's."""
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    with engine.begin() as conn:
        for n, code in ((1, "NL"), (2, "DE")):
            conn.execute(insert(Agency).values(id=n, name=f"Agency {code}"))
            conn.execute(insert(Case).values(id=n, name=f"case-{code.lower()}", agency_id=n))
            conn.execute(insert(Source).values(case_id=n, root_path=f"/ev/{n}", kind="folder"))
    for n, case_id in ((1, 1), (2, 1), (3, 2)):
        add_media(engine, case_id, n, series_id=n)
    return engine


@pytest.fixture
def bag(engine: Engine) -> Published:
    return publish_object(engine, f"{1:064x}", "Blue rucksack")


def stored(engine: Engine) -> list[Tip]:
    with engine.connect() as conn:
        return list(conn.execute(select(Tip).order_by(Tip.portal_seq)).all())  # type: ignore[arg-type]


def tip_clues(engine: Engine) -> list[ClueRow]:
    with engine.connect() as conn:
        query = select(ClueRow).where(ClueRow.kind == "tip").order_by(ClueRow.id)
        return list(conn.execute(query).all())  # type: ignore[arg-type]


def test_pulling_twice_stores_each_tip_once_page_by_page(
    engine: Engine, bag: Published, caplog: pytest.LogCaptureFixture
) -> None:
    portal = FakePortal()
    for n in range(5):
        portal.add_tip(bag.public_id, f"tip number {n}", language="en")
    portal.add_tip("f" * 32, "about an object published elsewhere")
    with caplog.at_level(logging.WARNING), portal.client() as client:
        first = pull_tips(client, TipStore(engine), "anna", page_size=2)
    assert (first.received, first.stored, first.unknown, first.pages) == (6, 5, 1, 3)
    assert portal.asked == [(0, 2), (2, 2), (4, 2), (6, 2)], "page by page until empty"
    assert "not published here" in caplog.text
    assert [t.portal_seq for t in stored(engine)] == [1, 2, 3, 4, 5]

    portal.asked.clear()
    with portal.client() as client:
        again = pull_tips(client, TipStore(engine), "anna", page_size=2)
    assert again.stored == 0 and portal.asked[0] == (5, 2), "asks after the highest stored"
    assert len(stored(engine)) == 5
    assert store_tip(engine, bag.id, 3, "stored again") == tip_id(engine, 3)
    assert stored(engine)[2].text == "tip number 2", "a tip stored twice keeps the first"
    portal.add_tip(bag.public_id, "a later tip")
    with portal.client() as client:
        assert pull_tips(client, TipStore(engine), "anna").stored == 1
    pulls = audit_trail(engine, "portal", "tips")
    assert {e["actor"] for e in pulls} == {"anna"} and {e["action"] for e in pulls} == {"tips.pull"}
    assert [e["detail"]["stored"] for e in pulls] == [2, 2, 1, 1], "each page with its audit row"


def test_what_the_portal_sends_is_cleaned_before_it_is_stored(
    engine: Engine, bag: Published
) -> None:
    portal = FakePortal()
    portal.add_tip(bag.public_id, "nul\x00 inside", place="x" * 500, country="XX")
    portal.add_tip(bag.public_id, "", place="  ", country="be", spam_signs=("link",) * 50)
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    first, second = stored(engine)
    assert first.text == "nul inside" and len(first.place) == 200 and first.country is None
    assert second.place is None and second.country == "BE" and len(second.spam_signs) == 20
    assert first.received_at.tzinfo is not None or engine.dialect.name == "sqlite"


def test_an_unreachable_portal_is_a_portal_error(
    engine: Engine, bag: Published, settings: Settings
) -> None:
    portal = FakePortal(reachable=False)
    with pytest.raises(PortalError, match="cannot be reached"), portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    with pytest.raises(PortalError, match="no portal token"):
        cli_tips.portal_client(dataclasses.replace(settings, portal_token=None))


def test_similar_tips_share_a_cluster_across_pulls(engine: Engine, bag: Published) -> None:
    other = publish_object(engine, f"{2:064x}", "Green curtain")
    portal = FakePortal()
    text = "I have seen this exact bag in a small shop in the old town of Ghent."
    portal.add_tip(bag.public_id, "first", place="Bruxelles", country="BE")
    portal.add_tip(bag.public_id, "second", place="BRUXELLES ", country="be")
    portal.add_tip(bag.public_id, text)
    portal.add_tip(bag.public_id, "Something else entirely about a market in Lisbon.")
    portal.add_tip(other.public_id, "first", place="Bruxelles", country="BE")
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    portal.add_tip(bag.public_id, text.upper().replace(".", "!"))  # the next pull
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    keys = [t.cluster_key for t in stored(engine)]
    assert keys[0] == keys[1], "the same place, spelt otherwise"
    assert keys[2] == keys[5], "near-identical text, pulled later"
    assert len({keys[0], keys[2], keys[3], keys[4]}) == 4, "other texts and objects apart"
    page = TipQueries(engine).page(ADMIN, object_id=bag.id)
    sizes = {t["seq"]: t["cluster_size"] for t in page["tips"]}
    assert sizes == {1: 2, 2: 2, 3: 2, 6: 2, 4: 1}
    assert [t["seq"] for t in page["tips"]] == [1, 2, 3, 6, 4], "clusters shown together"


def test_a_useful_tip_becomes_one_tip_clue_counted_in_its_series(
    engine: Engine, bag: Published
) -> None:
    portal = FakePortal()
    portal.add_tip(bag.public_id, "Je l'ai vu dans une boutique", place="Bruxelles", language="fr")
    portal.add_tip(bag.public_id, "Seen it somewhere, no idea where")
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    moderation = TipModeration(engine)
    first, vague = tip_id(engine, 1), tip_id(engine, 2)

    decision = moderation.mark(first, "useful", "anna")
    assert decision.clue_change == "added" and decision.clue_id is not None
    again = moderation.mark(first, "useful", "anna")
    assert again.clue_change is None and again.clue_id == decision.clue_id
    assert moderation.mark(vague, "useful", "anna").clue_id is None, "names no place"
    clues = tip_clues(engine)
    assert len(clues) == 1
    clue = clues[0]
    assert (clue.media_sha256, clue.value, clue.countries) == (f"{1:064x}", "Bruxelles", {"BE": 1})
    assert clue.analyst == "anna" and clue.status == "proposed"
    assert clue.detail == (
        f"tip #{first} from the public via Trace an Object (Blue rucksack): Bruxelles"
    )
    assert stored(engine)[0].clue_id == clue.id and stored(engine)[0].moderator == "anna"

    assessor = CountryAssessor(ClueQueries(engine), CountryDecisions(engine))
    top = assessor.rank_series(1).ranking[0]
    assert top.country == "BE" and [e.kind for e in top.supporting] == ["tip"]

    assert moderation.mark(first, "spam", "anna").clue_change == "rejected"
    assert tip_clues(engine)[0].status == "rejected"
    assert "BE" not in {r.country for r in assessor.rank_series(1).ranking}
    assert moderation.mark(first, "duplicate", "anna").clue_change is None, "already rejected"
    assert moderation.mark(first, "useful", "anna").clue_change == "reopened"
    assert len(tip_clues(engine)) == 1 and tip_clues(engine)[0].status == "proposed"

    trail = audit_trail(engine, "tip", first)
    marks = [(e["actor"], e["detail"]["from"], e["detail"]["to"]) for e in trail]
    assert marks == [
        ("anna", "new", "useful"),
        ("anna", "useful", "spam"),
        ("anna", "spam", "duplicate"),
        ("anna", "duplicate", "useful"),
    ], "one audit row per change; marking useful twice recorded once"
    clue_actions = [e["action"] for e in audit_trail(engine, "clue", clue.id)]
    assert clue_actions == ["add-clue", "rejected-clue", "reopen-clue"]


def test_marking_refuses_unknown_tips_and_states(engine: Engine, bag: Published) -> None:
    portal = FakePortal()
    portal.add_tip(bag.public_id, "a tip")
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "anna")
    with pytest.raises(TipError, match="unknown decision"):
        TipModeration(engine).mark(tip_id(engine, 1), "new", "anna")
    with pytest.raises(TipError, match="no tip"):
        TipModeration(engine).mark(999_999, "spam", "anna")
    with pytest.raises(TipError, match="moderator"):
        TipModeration(engine).mark(tip_id(engine, 1), "spam", "")


def test_counts_per_object_and_series_follow_merges_and_agencies(
    engine: Engine, bag: Published
) -> None:
    theirs = publish_object(engine, f"{3:064x}", "Their lamp")
    portal = FakePortal()
    for n in range(3):
        portal.add_tip(bag.public_id, f"tip {n} about the rucksack", place=f"Town {n}")
    portal.add_tip(theirs.public_id, "about the lamp")
    with portal.client() as client:
        pull_tips(client, TipStore(engine), "root")
    TipModeration(engine).mark(tip_id(engine, 1), "useful", "root")
    TipModeration(engine).mark(tip_id(engine, 2), "spam", "root")
    with engine.begin() as conn:  # series 1 was merged into series 2 since the proposal
        conn.execute(update(Series).where(Series.id == 1).values(merged_into=2))

    counts = TipQueries(engine).counts(ANNA)
    assert [
        (o["title"], o["series"], o["total"], o["new"], o["useful"]) for o in counts["objects"]
    ] == [("Blue rucksack", 2, 3, 1, 1)]
    assert counts["series"] == [{"series": 2, "total": 3, "new": 1, "useful": 1}]
    assert TipQueries(engine).page(ANNA, status="new")["total"] == 1
    assert TipQueries(engine).page(DIRK, status=None)["total"] == 1, "only the lamp's tip"
    assert TipStore(engine).visible(DIRK, tip_id(engine, 4))
    assert not TipStore(engine).visible(DIRK, tip_id(engine, 1))
    assert len(TipQueries(engine).counts(ADMIN)["objects"]) == 2


def test_the_command_line_pulls_lists_and_marks(
    engine: Engine,
    bag: Published,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if settings.database_url:
        monkeypatch.setenv("VIDTRACE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("VIDTRACE_ANALYST", "cli-user")
    workspace = ["--workspace", str(settings.workspace)]
    portal = FakePortal()
    portal.add_tip(bag.public_id, "Vu à Bruxelles", place="Bruxelles")
    portal.add_tip(bag.public_id, "buy cheap watches", spam_signs=("link",))
    monkeypatch.setattr(cli_tips, "portal_client", lambda _settings: portal.client())

    assert main([*workspace, "tips", "pull", "--json"]) == 0
    pulled = json.loads(capsys.readouterr().out)
    assert pulled == {"received": 2, "stored": 2, "unknown_object": 0, "pages": 1}
    assert main([*workspace, "tips", "list", "--status", "new", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["text"] for t in listed] == ["Vu à Bruxelles", "buy cheap watches"]
    assert listed[1]["spam_signs"] == ["link"] and listed[0]["series"] == 1
    first = listed[0]["id"]
    assert main([*workspace, "tips", "mark", str(first), "useful", "--as", "mona"]) == 0
    assert "new -> useful; clue #" in capsys.readouterr().err
    assert main([*workspace, "tips", "mark", str(listed[1]["id"]), "spam"]) == 0
    assert stored(engine)[1].moderator == "cli-user"
    assert main([*workspace, "tips", "mark", "999999", "spam"]) == 1
    assert "no tip 999999" in capsys.readouterr().err

    portal.reachable = False
    assert main([*workspace, "tips", "pull"]) == 1
    assert "cannot be reached" in capsys.readouterr().err
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Tip)) == 2
