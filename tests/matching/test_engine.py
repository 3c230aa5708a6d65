"""The matching engine on a small archive, with the shipped encoder (no mocks)."""

from __future__ import annotations

import numpy as np
import pytest

from claims.matching import (
    DIM,
    Match,
    MatchIndex,
    encode_texts,
    vectors_from_bytes,
    vectors_to_bytes,
)

ARCHIVE = [
    "Drinking bleach cures the coronavirus. Does Drinking Bleach Cure COVID-19?",
    "The Eiffel Tower will be demolished in 2025. Is the Eiffel Tower Being Torn Down?",
    "Unemployment fell to 3.9 percent last month, the lowest in a decade. "
    "Is the Jobless Rate at a Decade Low?",
    "A shark was photographed swimming on a flooded Houston highway. Shark on a Flooded Freeway?",
    "The city spent 4.2 million dollars on road repairs in 2023. "
    "Did the City Spend $4.2 Million on Roads?",
    "Bill Gates wants to implant microchips with vaccines. Are Vaccines a Cover for Microchips?",
    "Minecraft is being shut down in 2020. Is Minecraft Shutting Down?",
    "The army is texting people that they were drafted for war with Iran. "
    "Army Draft Text Messages?",
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(ARCHIVE)


def test_an_archive_text_finds_itself_first(index):
    for position, text in enumerate(ARCHIVE):
        best, second = index.search(text, k=2)
        assert best.position == position
        # The head maps the query, so even the same text scores below 1.
        assert best.score > 0.8 and best.score - second.score > 0.2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Fake texts claim the US Army is drafting people to fight Iran", 7),
        ("they say a shark swam down the interstate after the hurricane in Texas", 3),
        ("im screaming. google says minecraft is closing for good this year", 6),
        (
            "The vaccine is a plot by Gates to put chips in everyone "
            "pic.twitter.com/AbC123 — Jane Doe (@jdoe) May 6, 2020",
            5,
        ),
    ],
)
def test_a_paraphrase_finds_its_fact_check_first(index, query, expected):
    assert index.search(query, k=3)[0].position == expected


def test_k_is_respected(index):
    assert len(index.search("coronavirus bleach", k=3)) == 3
    assert len(index.search("coronavirus bleach", k=1)) == 1
    assert len(index.search("coronavirus bleach", k=50)) == len(ARCHIVE)
    assert index.search("coronavirus bleach", k=0) == []


def test_scores_are_between_0_and_1_and_sorted(index):
    matches = index.search("Is the tower in Paris going to be knocked down?", k=len(ARCHIVE))
    scores = [m.score for m in matches]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert sorted(m.position for m in matches) == list(range(len(ARCHIVE)))
    assert matches[0].position == 1
    assert scores[0] - scores[-1] > 0.3  # the unrelated entries are well below


def test_min_score_drops_distant_entries(index):
    matches = index.search("Is the tower in Paris going to be knocked down?", k=8, min_score=0.5)
    assert [m.position for m in matches] == [1]


def test_an_empty_index_matches_nothing():
    empty = MatchIndex.build([])
    assert len(empty) == 0
    assert empty.search("anything at all") == []


@pytest.mark.parametrize(
    "query", ["", "   ", "\n\t", "https://t.co/xyz", "— (@handle) May 6, 2020"]
)
def test_a_query_without_words_matches_nothing(index, query):
    assert index.search(query) == []


def test_stored_vectors_give_the_same_results_as_build(index):
    blobs = vectors_to_bytes(encode_texts(ARCHIVE))
    assert len(blobs) == len(ARCHIVE) and all(len(b) == 4 * DIM for b in blobs)
    restored = MatchIndex.from_vectors(ARCHIVE, vectors_from_bytes(blobs))
    for query in ("shark highway flood", "Gates microchip vaccine", "road repairs money"):
        built, loaded = index.search(query, k=4), restored.search(query, k=4)
        assert [m.position for m in built] == [m.position for m in loaded]
        assert np.allclose([m.score for m in built], [m.score for m in loaded], atol=1e-6)


def test_vectors_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="shape"):
        MatchIndex.from_vectors(ARCHIVE, np.zeros((len(ARCHIVE) - 1, DIM), dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        MatchIndex.from_vectors(ARCHIVE, np.zeros((len(ARCHIVE), DIM + 1), dtype=np.float32))


def test_a_match_is_position_and_score(index):
    match = index.search("Minecraft shut down", k=1)[0]
    assert match == Match(position=6, score=match.score)
    assert isinstance(match.position, int) and isinstance(match.score, float)
