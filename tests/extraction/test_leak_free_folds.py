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


def test_a_debate_groups_fold_trains_on_nothing_of_that_group():
    cb, cl = corpora()
    sources = E.claimbuster_sources(cb, cl)
    groups = E.debate_group_index(cl, n_groups=2)
    assert set(groups[cl.groups == "A"]) == {0} and set(groups[cl.groups == "B"]) == {1}
    cb_folds = np.arange(130) % 2
    cb_train, cl_train = E.group_fold_rows(cb, cl, cb_folds, groups, 0, sources)
    # ClaimBuster: not its fold 0, and nothing quoted from debate A (held out).
    assert not (cb_folds[cb_train] == 0).any()
    assert not (sources[cb_train] == "A").any()
    assert set(cb_train) == {i for i in range(130) if i % 2 == 1 and sources[i] != "A"}
    # CLEF: debate B only (A is held out).
    assert set(cl.groups[cl_train]) == {"B"} and len(cl_train) == 25
    cb_train, cl_train = E.group_fold_rows(cb, cl, cb_folds, groups, 1, sources)
    assert set(cl.groups[cl_train]) == {"A"}
    # A's lines that copy a held-out ClaimBuster row (fold 1: odd ids) are left out.
    held = {T._norm(cb.texts[i]) for i in np.flatnonzero(cb_folds == 1)}
    assert not any(T._norm(cl.texts[i]) in held for i in cl_train)
    assert len(cl_train) == 25 - sum(T._norm(t) in held for t in cl.texts[:25])
