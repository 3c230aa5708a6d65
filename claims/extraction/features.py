"""Featurisation shared by training (scikit-learn) and inference (numpy).

Everything works on a *batch* of sentences at once, with a few C-level
passes (regex, str methods, numpy) over the joined text instead of Python
work per n-gram: scoring must keep up with segmentation.

Two sparse blocks, each idf-weighted and L2-normalised on its own:

* words: lower-cased unigrams and bigrams from a vocabulary built at
  training time, numbers replaced by shape tokens (``<year>``, ``<pct>``,
  ``<money>``, ``<num>``) so "$3 million" and "$7 billion" look alike;
* chars: character 2- to 5-grams, digits folded to 0, hashed into a fixed
  table (robust to typos and unseen words).

A block's value for feature f in a sentence is count(f) * idf(f) / norm,
where norm**2 sums idf(g)**2 over every occurrence g in the sentence. That is
TF-IDF with L2 normalisation when no feature repeats, and it needs no sort
at inference: two ``np.bincount`` calls per block.

Plus hand features (numbers, money, comparatives, capitals, person, length,
questions) for the second-stage model, also computed from the token arrays.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

import numpy as np

SEP = "\x00"  # joins the sentences of a batch; never part of a feature
_SEP_ID = -2
_UNKNOWN_ID = -1

_NUM_RE = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_TOKEN_RE = re.compile(r"\x00|<(?:num|pct|money|year)>|[^\W\d_]+(?:'[^\W\d_]+)?|[$%?!\u20ac\u00a3]")
_CAPS_RE = re.compile(r"\s[A-Z]")
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'"})

# Hand-feature lexicon: each class is one bit of a per-token mask.
_LEXICON: dict[str, tuple[str, ...]] = {
    "number": ("<num>", "<pct>", "<money>", "<year>"),
    "pct": ("<pct>", "percent", "%"),
    "money": ("<money>", "$", "dollar", "dollars", "million", "billion", "trillion", "cents",
              "tax", "taxes", "budget", "deficit", "debt"),
    "year": ("<year>",),
    "comparative": ("more", "less", "most", "least", "fewer", "higher", "lower", "larger",
                    "smaller", "bigger", "increase", "increased", "decrease", "decreased",
                    "doubled", "tripled", "than", "percent", "rate", "rates", "times", "record",
                    "highest", "lowest"),
    "first": ("i", "me", "my", "mine", "we", "us", "our", "ours", "i'm", "i've", "we're",
              "we've", "i'd", "we'd", "i'll", "we'll"),
    "second": ("you", "your", "yours", "you're", "you've"),
    "question": ("?",),
    "exclaim": ("!",),
    "future": ("will", "would", "should", "could", "going", "gonna", "shall", "might", "may"),
    "hedge": ("think", "believe", "feel", "hope", "want", "thank", "thanks", "please"),
}
_BITS = {name: 1 << i for i, name in enumerate(_LEXICON)}
LEXICON_TOKENS: tuple[str, ...] = tuple(sorted({t for ts in _LEXICON.values() for t in ts}))

HAND_NAMES = (
    "has_number", "n_numbers", "has_pct", "has_money", "has_year", "comparative",
    "n_caps", "log_len", "first_person", "second_person", "question", "exclaim",
    "future", "hedge", "short",
)


def _shape(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok.endswith("%"):
        return " <pct> "
    if tok.startswith("$"):
        return " <money> "
    if _YEAR_RE.fullmatch(tok):
        return " <year> "
    return " <num> "


def _clean(sentence: str) -> str:
    return sentence.replace(SEP, " ")


def word_text(sentences: list[str]) -> str:
    """The batch as one lower-cased string, numbers as shape tokens."""
    joined = SEP.join(map(_clean, sentences)).lower().translate(_NORMALISE)
    return _NUM_RE.sub(_shape, joined)


def token_lists(sentences: list[str]) -> list[list[str]]:
    """Tokens of each sentence (training uses this to build the vocabulary)."""
    toks = _TOKEN_RE.findall(word_text(sentences))
    out: list[list[str]] = [[]]
    for t in toks:
        if t == SEP:
            out.append([])
        else:
            out[-1].append(t)
    return out if sentences else []


@dataclass(frozen=True)
class Vocab:
    """Word unigram ids, and bigrams as sorted ``a * _PAIR + b`` keys after them."""

    lookup: dict[str, int]  # token -> unigram id (SEP -> _SEP_ID)
    bigram_keys: np.ndarray  # sorted int64
    lexmask: np.ndarray  # per unigram id: bitmask of lexicon classes

    @property
    def n_unigrams(self) -> int:
        return len(self.lexmask)

    @property
    def size(self) -> int:
        return self.n_unigrams + len(self.bigram_keys)

    @classmethod
    def from_terms(cls, unigrams: list[str], bigram_keys: np.ndarray) -> Vocab:
        lookup = dict(zip(unigrams, range(len(unigrams))))
        lexmask = np.zeros(len(unigrams), dtype=np.int64)
        for name, toks in _LEXICON.items():
            for t in toks:
                lexmask[lookup[t]] |= _BITS[name]
        lookup[SEP] = _SEP_ID
        return cls(lookup, np.asarray(bigram_keys, dtype=np.int64), lexmask)

    @classmethod
    def build(cls, docs: list[list[str]], min_df: int) -> Vocab:
        """Unigrams and bigrams seen in at least ``min_df`` training sentences.

        Lexicon tokens are always kept so hand features never depend on data.
        """
        uni_df: Counter[str] = Counter()
        bi_df: Counter[tuple[str, str]] = Counter()
        for toks in docs:
            uni_df.update(set(toks))
            bi_df.update(set(zip(toks, toks[1:])))
        unigrams = sorted({t for t, n in uni_df.items() if n >= min_df} | set(LEXICON_TOKENS))
        ids = {t: i for i, t in enumerate(unigrams)}
        keys = sorted(
            ids[a] * _PAIR + ids[b]
            for (a, b), n in bi_df.items()
            if n >= min_df and a in ids and b in ids
        )
        return cls.from_terms(unigrams, np.array(keys, dtype=np.int64))

    def terms(self) -> list[str]:
        uni = [""] * self.n_unigrams
        for t, i in self.lookup.items():
            if i >= 0:
                uni[i] = t
        return uni


_PAIR = 1 << 24  # > any unigram id


@dataclass(frozen=True)
class Batch:
    """Occurrence arrays of one batch of sentences."""

    n: int
    word_rows: np.ndarray
    word_ids: np.ndarray  # unigram ids, then bigram ids offset by n_unigrams
    char_rows: np.ndarray
    char_ids: np.ndarray
    hand: np.ndarray  # (n, len(HAND_NAMES))


def _rows_from_sep(ids: np.ndarray) -> np.ndarray:
    return np.cumsum(ids == _SEP_ID)


def word_occurrences(text: str, vocab: Vocab) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, feature ids) of word features, plus raw (token rows, token ids)."""
    toks = _TOKEN_RE.findall(text)
    ids = np.fromiter(map(vocab.lookup.get, toks, repeat(_UNKNOWN_ID)), dtype=np.int64, count=len(toks))
    rows = _rows_from_sep(ids)
    known = ids >= 0
    uni_rows, uni_ids = rows[known], ids[known]
    # Bigrams: consecutive known tokens (a separator is never "known").
    pair = known[:-1] & known[1:]
    keys = ids[:-1][pair] * _PAIR + ids[1:][pair]
    pos = np.searchsorted(vocab.bigram_keys, keys)
    pos_clipped = np.minimum(pos, max(len(vocab.bigram_keys) - 1, 0))
    if len(vocab.bigram_keys):
        hit = (pos < len(vocab.bigram_keys)) & (vocab.bigram_keys[pos_clipped] == keys)
    else:
        hit = np.zeros(len(keys), dtype=bool)
    bi_rows = rows[:-1][pair][hit]
    bi_ids = pos[hit] + vocab.n_unigrams
    tok_rows = rows[ids != _SEP_ID]
    return (
        np.concatenate([uni_rows, bi_rows]),
        np.concatenate([uni_ids, bi_ids]),
        tok_rows,
        ids[ids != _SEP_ID],
    )


# Character n-grams are hashed into a fixed table (uint32 rolling hash).
CHAR_BUCKETS = 1 << 18
_CHAR_MIN, _CHAR_MAX = 2, 5
_CHAR_FOLD = str.maketrans({**{d: "0" for d in "123456789"}, "\t": " ", "\n": " ", "\r": " "})
_HASH_MUL = np.uint32(0x01000193)
_HASH_MIX = np.uint32(0x9E3779B1)
_BUCKET_SHIFT = np.uint32(32 - (CHAR_BUCKETS.bit_length() - 1))


def char_occurrences(sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(rows, bucket ids) of every char 2-5-gram; each sentence padded by spaces."""
    joined = " " + f" {SEP} ".join(map(_clean, sentences)).lower().translate(_CHAR_FOLD) + " "
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    seps_before = np.concatenate([[0], np.cumsum(codes == 0)])
    rows_all = seps_before[:-1]
    rows_out, ids_out = [], []
    h = codes + np.uint32(1)
    with np.errstate(over="ignore"):
        for n in range(1, _CHAR_MAX + 1):
            length = len(codes) - n + 1
            if length <= 0:
                break
            if n > 1:
                h = h[:length] * _HASH_MUL + codes[n - 1 : n - 1 + length]
            if n < _CHAR_MIN:
                continue
            # Drop windows that straddle a separator.
            valid = seps_before[n : n + length] == seps_before[:length]
            mixed = (h[valid] ^ np.uint32(n)) * _HASH_MIX
            ids_out.append((mixed >> _BUCKET_SHIFT).astype(np.int64))
            rows_out.append(rows_all[:length][valid])
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(ids_out)


def hand_features(sentences: list[str], tok_rows: np.ndarray, tok_ids: np.ndarray, vocab: Vocab) -> np.ndarray:
    n = len(sentences)
    known = tok_ids >= 0
    masks = np.zeros(len(tok_ids), dtype=np.int64)
    masks[known] = vocab.lexmask[tok_ids[known]]

    def count(name: str) -> np.ndarray:
        return np.bincount(tok_rows, weights=(masks & _BITS[name]) != 0, minlength=n)

    n_tokens = np.bincount(tok_rows, minlength=n).astype(np.float64)
    joined = SEP.join(map(_clean, sentences))
    caps_pos = np.fromiter((m.start() for m in _CAPS_RE.finditer(joined)), dtype=np.int64)
    # Offsets of the separators: each sentence is followed by one.
    sep_pos = np.cumsum(np.fromiter(map(len, sentences), dtype=np.int64, count=n) + 1)[:-1] - 1
    n_caps = np.bincount(np.searchsorted(sep_pos, caps_pos), minlength=n).astype(np.float64)
    numbers = count("number")
    cols = [
        numbers > 0,
        np.log1p(numbers),
        count("pct") > 0,
        count("money") > 0,
        count("year") > 0,
        count("comparative") > 0,
        np.log1p(n_caps),
        np.log1p(n_tokens),
        count("first") > 0,
        count("second") > 0,
        count("question") > 0,
        count("exclaim") > 0,
        count("future") > 0,
        count("hedge") > 0,
        n_tokens <= 4,
    ]
    return np.column_stack(cols).astype(np.float64).reshape(n, len(HAND_NAMES))


def batch(sentences: list[str], vocab: Vocab) -> Batch:
    n = len(sentences)
    word_rows, word_ids, tok_rows, tok_ids = word_occurrences(word_text(sentences), vocab)
    char_rows, char_ids = char_occurrences(sentences)
    hand = hand_features(sentences, tok_rows, tok_ids, vocab)
    return Batch(n, word_rows, word_ids, char_rows, char_ids, hand)


def block_logits(rows: np.ndarray, ids: np.ndarray, idf2: np.ndarray, weighted: np.ndarray, n: int) -> np.ndarray:
    """Sum of count*idf/norm * coef per sentence; ``weighted`` = idf[:, None] * coef."""
    norms = np.sqrt(np.bincount(rows, weights=idf2[ids], minlength=n))
    norms[norms == 0] = 1.0
    out = np.empty((n, weighted.shape[1]))
    for h in range(weighted.shape[1]):
        out[:, h] = np.bincount(rows, weights=weighted[ids, h], minlength=n)
    return out / norms[:, None]


def context_matrix(own: np.ndarray, hand: np.ndarray) -> np.ndarray:
    """Second-stage inputs: own logits, neighbours' logits, own hand features.

    ``own`` is (n, k) first-stage logits of consecutive sentences of one text.
    Neighbour columns use the previous and next sentence (0 at the edges).
    """
    prev = np.zeros_like(own)
    nxt = np.zeros_like(own)
    if own.shape[0] > 1:
        prev[1:] = own[:-1]
        nxt[:-1] = own[1:]
    return np.hstack([own, prev, nxt, hand])
