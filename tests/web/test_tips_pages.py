"""The tips queue and the outcome figures in the workbench, on both databases: a moderator
fetches tips from a fake portal, sees similar ones together with the portal's spam signs and
the counters, marks one useful (a tip clue in the series' ranking) then spam; analysts are
refused; an admin sends the outcome figures to the portal, audited."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.kit.tips import FakePortal, Published, publish_object, use_portal
from tests.web.conftest import PASSWORD, Workbench, csrf_of, login
from vidtrace.domain.viewer import Role
from vidtrace.store.audit import audit_trail
from vidtrace.store.models import ClueRow, Tip
from vidtrace.store.users import UserStore


@pytest.fixture
def bag(workbench: Workbench) -> Published:
    UserStore(workbench.app.engine).add("mona", PASSWORD, Role.MODERATOR, "Agency A", "test")
    return publish_object(workbench.app.engine, workbench.media["a-1"], "Blue rucksack")


def moderator(workbench: Workbench, portal: FakePortal) -> TestClient:
    return use_portal(login(workbench.client(), "mona"), portal)


def post(client: TestClient, url: str, **form: str) -> tuple[int, str]:
    answer = client.post(url, data={"csrf_token": csrf_of(client), **form}, follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "")


def tips_of(workbench: Workbench) -> list[Tip]:
    with workbench.app.engine.connect() as conn:
        return list(conn.execute(select(Tip).order_by(Tip.portal_seq)).all())  # type: ignore[arg-type]


def test_a_moderator_fetches_sees_clusters_and_marks_tips(
    workbench: Workbench, bag: Published
) -> None:
    portal = FakePortal()
    portal.add_tip(bag.public_id, "Je l'ai vu dans une boutique", place="Bruxelles", language="fr")
    portal.add_tip(bag.public_id, "Same shop, I think", place="bruxelles", email="x@example.org")
    portal.add_tip(bag.public_id, "<script>alert(1)</script> cheap", spam_signs=("many links",))
    mona = moderator(workbench, portal)

    assert post(mona, "/tips/pull") == (303, "/tips?fetched=3&skipped=0")
    page = mona.get("/tips?fetched=3&skipped=0").text
    assert "3 new tips arrived from the portal" in page
    assert "2 similar tips" in page and "many links" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    counters = page[page.index('id="tips-per-object"') :]
    assert re.search(r"Blue rucksack</a></td><td>published</td>", counters)
    assert re.search(r"<td>3</td><td>3</td><td>0</td>", counters), "total, new, useful"
    series = workbench.series["a"]
    assert f'data-series="{series}"' in page
    assert post(mona, "/tips/pull") == (303, "/tips?fetched=0&skipped=0")
    assert "No new tips arrived" in mona.get("/tips?fetched=0").text

    first, _, spam = (tip.id for tip in tips_of(workbench))
    back = "/tips?status=new"
    assert post(mona, f"/tips/{first}/mark", status="useful", back=back) == (
        303,
        f"{back}#tip-{first}",
    )
    assert post(mona, f"/tips/{first}/mark", status="useful")[0] == 303, "twice: one clue"
    assert post(mona, f"/tips/{spam}/mark", status="spam")[0] == 303
    assert post(mona, f"/tips/{first}/mark", status="maybe")[0] == 400
    assert post(mona, f"/tips/{first}/mark", status="spam", back="https://evil.test")[0] == 422
    no_token = mona.post(f"/tips/{first}/mark", data={"status": "spam"}, follow_redirects=False)
    assert no_token.status_code == 403

    queue = mona.get("/api/tips", params={"status": "all"}).json()
    states = {tip["id"]: tip["status"] for tip in queue["tips"]}
    assert states[first] == "useful" and states[spam] == "spam"
    assert queue["counts"]["series"] == [{"series": series, "total": 3, "new": 1, "useful": 1}]
    with workbench.app.engine.connect() as conn:
        clues = conn.execute(select(ClueRow).where(ClueRow.kind == "tip")).all()
    assert [(c.value, c.countries, c.analyst) for c in clues] == [("Bruxelles", {"BE": 1}, "mona")]
    alice = login(workbench.client(), "alice")
    ranking = alice.get(f"/api/series/{series}").json()["country_ranking"]["ranking"]
    assert ranking[0]["country"] == "BE"

    assert post(mona, f"/tips/{first}/mark", status="spam")[0] == 303
    ranking = alice.get(f"/api/series/{series}").json()["country_ranking"]["ranking"]
    assert "BE" not in {entry["country"] for entry in ranking}
    marks = [e["detail"]["to"] for e in audit_trail(workbench.app.engine, "tip", first)]
    assert marks == ["useful", "spam"]


def test_an_unreachable_portal_is_said_on_the_page(workbench: Workbench, bag: Published) -> None:
    mona = moderator(workbench, FakePortal(reachable=False))
    assert post(mona, "/tips/pull") == (303, "/tips?fetched=failed")
    assert "The portal cannot be reached" in mona.get("/tips?fetched=failed").text
    unset = login(workbench.client(), "mona")  # the settings have no portal token
    assert post(unset, "/tips/pull") == (303, "/tips?fetched=failed")


def test_analysts_may_not_moderate_and_other_agencies_see_nothing(
    workbench: Workbench, bag: Published
) -> None:
    portal = FakePortal()
    portal.add_tip(bag.public_id, "a tip", place="Utrecht")
    assert post(moderator(workbench, portal), "/tips/pull")[0] == 303
    tip = tips_of(workbench)[0].id
    alice = login(workbench.client(), "alice")
    for path in ("/tips", "/api/tips"):
        assert alice.get(path).status_code == 403
    assert post(alice, "/tips/pull")[0] == 403
    assert post(alice, f"/tips/{tip}/mark", status="useful")[0] == 403
    bob = login(workbench.client(), "bob")
    assert post(bob, f"/tips/{tip}/mark", status="useful")[0] == 404, "Agency B's view"
    assert tips_of(workbench)[0].status == "new"
    assert workbench.client().get("/api/tips").status_code == 401


def test_an_admin_sends_the_outcome_figures_to_the_portal(workbench: Workbench) -> None:
    portal = FakePortal()
    admin = use_portal(login(workbench.client(), "admin"), portal)
    assert "No figures have been sent yet" in admin.get("/admin/portal-statistics").text
    figures = {"countries_narrowed": "12", "children_identified": "3", "offenders_prosecuted": "2"}
    sent = post(admin, "/admin/portal-statistics", **figures)
    assert sent == (303, "/admin/portal-statistics?sent=yes")
    assert portal.statistics == [
        {"countries_narrowed": 12, "children_identified": 3, "offenders_prosecuted": 2}
    ]
    page = admin.get("/admin/portal-statistics?sent=yes").text
    assert "The figures were sent to the portal" in page and 'value="12"' in page
    events = audit_trail(workbench.app.engine, "portal", "statistics")
    assert [(e["actor"], e["action"], e["detail"]["children_identified"]) for e in events] == [
        ("admin", "portal.statistics", 3)
    ]
    negative = {**figures, "children_identified": "-1"}
    assert post(admin, "/admin/portal-statistics", **negative)[0] == 422

    portal.reachable = False
    failed = post(admin, "/admin/portal-statistics", **figures)
    assert failed == (303, "/admin/portal-statistics?sent=failed")
    assert len(audit_trail(workbench.app.engine, "portal", "statistics")) == 1
    alice = login(workbench.client(), "alice")
    assert alice.get("/admin/portal-statistics").status_code == 403
    assert post(alice, "/admin/portal-statistics", **figures)[0] == 403
