"""Featurisation shared by training (scikit-learn) and inference (numpy).

A sentence becomes a bag of string features in two groups, each later
TF-IDF weighted and L2-normalised on its own:

* ``w``: lower-cased word unigrams and bigrams, with numbers replaced by
  shape tokens (a year, a percentage, money, a plain number) so that
  "$3 million" and "$7 billion" look alike;
* ``c``: character 2- to 5-grams inside word boundaries (robust to typos).

plus a small vector of hand features (numbers, comparatives, capitals,
person, length, questions) used by the second-stage model. Both training and
inference call exactly these functions, so the two cannot drift apart.
"""

from __future__ import annotations

import math
import re

import numpy as np

_TOKEN_RE = re.compile(
    r"\$?\d[\d,]*(?:\.\d+)?%?|[^\W\d_]+(?:['\u2019][^\W\d_]+)?|[$%?!\u20ac\u00a3]"
)
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_MONEY_WORDS = frozenset("dollar dollars million billion trillion cents tax taxes budget deficit debt".split())
_COMPARATIVES = frozenset(
    "more less most least fewer higher lower larger smaller bigger increase increased decrease "
    "decreased doubled tripled than percent rate rates times record highest lowest".split()
)
_FIRST = frozenset("i me my mine we us our ours i'm i've we're we've i'd we'd".split())
_SECOND = frozenset("you your yours you're you've".split())
_FUTURE = frozenset("will would should could going gonna shall might may".split())
_HEDGE = frozenset("think believe feel hope want thank thanks please".split())
_CHAR_MIN, _CHAR_MAX = 2, 5


def _shape(tok: str) -> str:
    """Map a numeric token to a coarse shape so rare numbers share weights."""
    if tok.endswith("%"):
        return "<pct>"
    if tok.startswith("$"):
        return "<money>"
    if _YEAR_RE.fullmatch(tok):
        return "<year>"
    return "<num>"


def tokens(sentence: str) -> list[str]:
    out = []
    for tok in _TOKEN_RE.findall(sentence.lower().replace("\u2019", "'")):
        numeric = tok[0].isdigit() or (tok[0] == "$" and len(tok) > 1)
        out.append(_shape(tok) if numeric else tok)
    return out


def word_features(toks: list[str]) -> list[str]:
    feats = list(toks)
    feats.extend(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return feats


def char_features(sentence: str) -> list[str]:
    # Digits collapse to 0 so that numbers of the same length look alike.
    text = _DIGIT_RE.sub("0", sentence.lower())
    feats: list[str] = []
    for word in text.split():
        w = f" {word} "
        n_chars = len(w)
        for n in range(_CHAR_MIN, min(_CHAR_MAX, n_chars) + 1):
            feats.extend(w[i : i + n] for i in range(n_chars - n + 1))
    return feats


HAND_NAMES = (
    "has_number", "n_numbers", "has_pct", "has_money", "has_year", "comparative",
    "n_caps", "log_len", "first_person", "second_person", "question", "exclaim",
    "future", "hedge", "short",
)


def hand_features(sentence: str, toks: list[str]) -> list[float]:
    words = sentence.split()
    n_caps = sum(1 for w in words[1:] if w[:1].isupper())
    nums = sum(1 for t in toks if t.startswith("<"))
    tset = set(toks)
    return [
        float(nums > 0),
        math.log1p(nums),
        float("<pct>" in tset or "percent" in tset or "%" in tset),
        float("<money>" in tset or "$" in tset or bool(tset & _MONEY_WORDS)),
        float("<year>" in tset),
        float(bool(tset & _COMPARATIVES)),
        math.log1p(n_caps),
        math.log1p(len(toks)),
        float(bool(tset & _FIRST)),
        float(bool(tset & _SECOND)),
        float("?" in sentence),
        float("!" in sentence),
        float(bool(tset & _FUTURE)),
        float(bool(tset & _HEDGE)),
        float(len(toks) <= 4),
    ]


def featurise(sentence: str) -> tuple[list[str], list[str], list[float]]:
    """Word features, char features and hand features of one sentence."""
    toks = tokens(sentence)
    return word_features(toks), char_features(sentence), hand_features(sentence, toks)


def hand_matrix(sentences: list[str]) -> np.ndarray:
    return np.array(
        [hand_features(s, tokens(s)) for s in sentences], dtype=np.float64
    ).reshape(len(sentences), len(HAND_NAMES))


def context_matrix(own: np.ndarray, hand: np.ndarray) -> np.ndarray:
    """Second-stage inputs: own logits, neighbours' logits, own hand features.

    ``own`` is (n, k) first-stage logits of consecutive sentences of one text.
    Neighbour columns use the previous and next sentence (0 at the edges).
    """
    n = own.shape[0]
    prev = np.zeros_like(own)
    nxt = np.zeros_like(own)
    if n > 1:
        prev[1:] = own[:-1]
        nxt[:-1] = own[1:]
    return np.hstack([own, prev, nxt, hand])
