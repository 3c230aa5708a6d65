"""The leak-free protocol: ClaimBuster rows of a CLEF debate stay out of its fold."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from claims.extraction import evaluation as E
from claims.extraction import training as T


def corpora():
    # ClaimBuster ids 0-99 come from "debate A" (every 4th one copied word for
    # word, the rest split or worded differently), ids 500-529 from elsewhere.
    cb_texts, ids = [], []
    for i in range(100):
        cb_texts.append(f"Speaker line number {i} about the budget and the schools.")
        ids.append(i)
    for i in range(30):
        cb_texts.append(f"An unrelated old debate sentence, number {i}, about farming.")
        ids.append(500 + i)
    cb = T.Corpus(
        cb_texts, np.arange(130) % 2, np.array([f"g{i}" for i in range(130)]), np.array(ids)
    )
    a_lines = [
        f"Speaker line number {i} about the budget and the schools." for i in range(0, 100, 4)
    ]
    b_lines = [f"Another debate line {i} on trade policy." for i in range(25)]
    cl = T.Corpus(
        a_lines + b_lines,
        np.arange(50) % 2,
        np.array(["A"] * len(a_lines) + ["B"] * len(b_lines)),
        np.arange(50),
    )
    return cb, cl


def test_rows_between_a_debates_copies_belong_to_it():
    cb, cl = corpora()
    sources = E.claimbuster_sources(cb, cl)
    assert set(sources[:97]) == {"A"}  # copies at 0, 4, ..., 96 and the rows between them
    assert set(sources[100:]) == {""}
    assert E.covered_debates(sources) == {"A"}


def test_the_held_out_debates_claimbuster_rows_are_not_trained_on():
    cb, cl = corpora()
    sources = E.claimbuster_sources(cb, cl)
    clean = {d: cb_tr for d, cb_tr, _, _ in E.make_folds(cb, cl, sources).cl}
    shipped = {d: cb_tr for d, cb_tr, _, _ in E.make_folds(cb, cl, None).cl}
    assert not (sources[clean["A"]] == "A").any()
    # The old protocol dropped only exact copies: the reworded rows stayed.
    assert (sources[shipped["A"]] == "A").sum() == 97 - 25
    assert len(clean["B"]) == 130
