"""Similar tips about one object share a cluster: the same place however it is written, or
near-identical text; different texts, and tips about other objects, stay apart."""

from __future__ import annotations

from dataclasses import dataclass

from vidtrace.publish.tip_clusters import MAX_DISTANCE, TipClusters, cluster_key, distance, simhash

GHENT = "I have seen this exact bag in a small shop in the old town of Ghent, near the cathedral."


def test_the_same_place_in_another_spelling_joins_the_cluster() -> None:
    clusters = TipClusters()
    first = clusters.join(1, 10, "A market stall sells these.", "Saint-Étienne", "FR")
    assert first == cluster_key(1, 10)
    assert clusters.join(1, 11, "My aunt has one just like it", "saint etienne", "fr") == first
    assert clusters.join(1, 12, "", "  SAINT ÉTIENNE!! ", "FR") == first
    assert clusters.join(1, 13, "", "Saint-Étienne", "BE") != first, "another country"
    assert clusters.join(1, 14, "", "Saint-Etienne-de-Tinée", "FR") != first, "another place"
    assert clusters.join(2, 15, "", "Saint-Étienne", "FR") != first, "another object"


def test_near_identical_texts_join_and_different_texts_stay_apart() -> None:
    clusters = TipClusters()
    first = clusters.join(1, 1, GHENT, None, None)
    for variant in (
        GHENT.upper(),
        GHENT.replace(",", "").replace(".", "!!!"),
        GHENT.replace("cathedral", "cathedrale"),  # a typo
        GHENT + " Thanks",
        GHENT.replace("é", "e"),
    ):
        assert clusters.join(1, 2, variant, None, None) == first, variant
    others = [
        "This bag is sold by a supermarket chain in Poland, I bought one last year.",
        "I have seen this bag in a shop in Brussels.",
        "I have seen this bag in a shop in Antwerp.",
        "The curtain pattern looks like one from a furniture store in Sweden.",
    ]
    keys = {clusters.join(1, 100 + n, text, None, None) for n, text in enumerate(others)}
    assert first not in keys and len(keys) == len(others)


def test_a_new_tip_joins_a_cluster_of_tips_stored_before() -> None:
    @dataclass(frozen=True)
    class Stored:
        object_id: int
        cluster_key: str
        text: str
        place: str | None
        country: str | None

    stored = [Stored(5, "cluster-a", GHENT, None, None), Stored(5, "cluster-b", "", "Gent", "BE")]
    clusters = TipClusters(stored)
    assert clusters.join(5, 9, GHENT.lower(), None, None) == "cluster-a"
    assert clusters.join(5, 10, "", "GENT", "BE") == "cluster-b"
    assert clusters.join(5, 11, "", None, None) == cluster_key(5, 11), "nothing to compare"


def test_simhash_distances() -> None:
    same = simhash(GHENT)
    assert same is not None and simhash("") is None and simhash("?!") is None
    assert distance(same, simhash(GHENT.upper()) or 0) == 0
    unrelated = simhash("This logo belongs to a football club in Portugal.")
    assert unrelated is not None and distance(same, unrelated) > 2 * MAX_DISTANCE
    assert cluster_key(3, 12) < cluster_key(3, 100) < cluster_key(10, 1), "sorts by object"
