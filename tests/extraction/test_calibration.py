"""Calibration and cut choice (training side) on data whose answer is known."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from claims.extraction import calibration as C


def test_platt_recovers_the_true_link():
    rng = np.random.default_rng(7)
    margin = rng.normal(0, 2, size=40_000)
    y = (rng.random(len(margin)) < 1 / (1 + np.exp(-(1.5 * margin - 0.7)))).astype(int)
    a, b = C.fit_platt(margin, y)
    assert a == pytest.approx(1.5, abs=0.08)
    assert b == pytest.approx(-0.7, abs=0.08)
    p = C.apply_platt(margin, np.array([a, b]))
    assert C.reliability(y, p)["ece"] < 0.02


def test_cut_for_precision_takes_the_lowest_safe_cut():
    p = np.round(np.arange(0.05, 0.951, 0.01), 2)
    y = (p >= 0.70).astype(int)
    y[(p >= 0.40) & (p < 0.70) & (np.arange(len(p)) % 2 == 1)] = 1  # half right below 0.70
    assert C.cut_for_precision(y, p, 0.99) == pytest.approx(0.70)
    lower = C.cut_for_precision(y, p, 0.75)
    assert lower < 0.70
    assert C.at_cut(y, p, lower)["precision"] >= 0.75


def test_a_lucky_spot_above_a_dip_is_not_chosen():
    # Precision at 0.50 alone reaches the target, but 0.51-0.59 dip below it.
    p = np.array([0.50, 0.55, 0.55, 0.55, 0.60, 0.60, 0.60])
    y = np.array([1, 0, 0, 1, 1, 1, 1])
    cut = C.cut_for_precision(y, p, 0.9)
    assert cut > 0.55
    assert C.at_cut(y, p, cut)["precision"] >= 0.9
