"""Featurisation shared by training (scikit-learn) and inference (numpy).

Everything works on a *batch* of sentences at once: the sentences are joined
with a separator and prepared as bytes by C-level passes (str.lower,
bytes.translate, bytes.split, dict look-ups via ``map``, numpy) instead of
Python work per token or n-gram, because scoring must keep pace with
segmentation.

Preparation: lower case, every digit folded to "0" (numbers keep only their
shape: "0000" looks like a year, "0%" is a percentage, "$0" money), ASCII
punctuation other than $ % ' blanked. Tokens are then ``bytes.split()``.

Two sparse blocks, each idf-weighted and L2-normalised on its own:

* words: unigrams and bigrams from a vocabulary built at training time;
* chars: byte 2- to 4-grams of the prepared text, hashed into a fixed table
  (robust to typos and unseen words).

A block's value for feature f in a sentence is count(f) * idf(f) / norm,
where norm**2 sums idf(g)**2 over every occurrence g in the sentence. That
is TF-IDF with L2 normalisation when no feature repeats, and it needs no
sort at inference: a few ``np.bincount`` calls per block.

Plus hand features (numbers, money, comparatives, capitals, person, length,
questions) for the second-stage model, computed from the same token ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise, repeat

import numpy as np

SEP = "\x00"  # joins the sentences of a batch; never part of a feature
SEP_ID = -2
UNKNOWN_ID = -1
_SEP_B = SEP.encode()

_KEEP = b"$%'" + _SEP_B
_BYTE_TABLE = bytes(
    ord("0")
    if chr(c).isdigit()
    else c
    if (chr(c).isalpha() or bytes([c]) in _KEEP or c >= 0x80)
    else ord(" ")
    for c in range(256)
)
_UNICODE_BLANKS = (
    "\u201c",
    "\u201d",
    "\u00ab",
    "\u00bb",
    "\u2013",
    "\u2014",
    "\u2026",
    "\u00a0",
    "\u2022",
)
_CAP_A, _CAP_Z, _SPACE = ord("A"), ord("Z"), ord(" ")

# Hand-feature lexicon: each class is one bit of a per-token mask.
_NUMBERS = (
    "0",
    "00",
    "000",
    "0000",
    "00000",
    "0%",
    "00%",
    "000%",
    "$0",
    "$00",
    "$000",
    "$0000",
    "0th",
    "00th",
    "0st",
    "00st",
    "0nd",
    "00nd",
    "0rd",
    "00rd",
    "0s",
    "00s",
    "0000s",
)
NUMBER_TOKENS = _NUMBERS
_LEXICON: dict[str, tuple[str, ...]] = {
    "number": _NUMBERS,
    "pct": ("0%", "00%", "000%", "percent"),
    "money": (
        "$0",
        "$00",
        "$000",
        "$0000",
        "$",
        "dollar",
        "dollars",
        "million",
        "billion",
        "trillion",
        "cents",
        "tax",
        "taxes",
        "budget",
        "deficit",
        "debt",
    ),
    "year": ("0000", "0000s"),
    "comparative": (
        "more",
        "less",
        "most",
        "least",
        "fewer",
        "higher",
        "lower",
        "larger",
        "smaller",
        "bigger",
        "increase",
        "increased",
        "decrease",
        "decreased",
        "doubled",
        "tripled",
        "than",
        "percent",
        "rate",
        "rates",
        "times",
        "record",
        "highest",
        "lowest",
    ),
    "first": (
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "ours",
        "i'm",
        "i've",
        "we're",
        "we've",
        "i'd",
        "we'd",
        "i'll",
        "we'll",
    ),
    "second": ("you", "your", "yours", "you're", "you've"),
    "future": ("will", "would", "should", "could", "going", "gonna", "shall", "might", "may"),
    "hedge": ("think", "believe", "feel", "hope", "want", "thank", "thanks", "please"),
}
_BITS = {name: 1 << i for i, name in enumerate(_LEXICON)}
LEXICON_TOKENS: frozenset[str] = frozenset(t for ts in _LEXICON.values() for t in ts)

HAND_NAMES = (
    "has_number",
    "n_numbers",
    "has_pct",
    "has_money",
    "has_year",
    "comparative",
    "n_caps",
    "log_len",
    "first_person",
    "second_person",
    "question",
    "exclaim",
    "future",
    "hedge",
    "short",
)


def _clean(sentence: str) -> str:
    return sentence.replace(SEP, " ")


def prepare(sentences: Iterable[str]) -> bytes:
    """The batch as prepared bytes: " s1 SEP s2 ... SEP sn " (every sentence
    gets the same padding whatever its place in the batch)."""
    text = " " + f" {SEP} ".join(map(_clean, sentences)).lower() + " "
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for ch in _UNICODE_BLANKS:
        if ch in text:
            text = text.replace(ch, " ")
    return text.encode("utf-8", "surrogatepass").translate(_BYTE_TABLE)


def token_lists(sentences: list[str]) -> list[list[str]]:
    """Tokens of each sentence (training builds the vocabulary from these)."""
    out: list[list[str]] = [[]]
    for t in prepare(sentences).split():
        if t == _SEP_B:
            out.append([])
        else:
            out[-1].append(t.decode("utf-8", "surrogatepass"))
    return out if sentences else []


PAIR = 1 << 24  # bigram key = a * PAIR + b; larger than any unigram id


@dataclass(frozen=True, eq=False)
class Vocab:
    """Word unigram ids, then bigrams (sorted ``a * PAIR + b`` keys) after them."""

    lookup: dict[bytes, int]  # UTF-8 token -> unigram id (SEP -> SEP_ID)
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
        lookup = {t.encode("utf-8", "surrogatepass"): i for i, t in enumerate(unigrams)}
        lexmask = np.zeros(len(unigrams), dtype=np.int64)
        for name, toks in _LEXICON.items():
            for t in toks:
                if (i := lookup.get(t.encode())) is not None:
                    lexmask[i] |= _BITS[name]
        lookup[_SEP_B] = SEP_ID
        return cls(lookup, np.asarray(bigram_keys, dtype=np.int64), lexmask)

    @classmethod
    def build(cls, docs: list[list[str]], min_df: int, always: Iterable[str] = ()) -> Vocab:
        """Unigrams and bigrams seen in at least ``min_df`` training sentences.

        Lexicon tokens (and ``always``) are kept whatever their frequency, so
        hand features and claim kinds never depend on the training data.
        """
        uni_df: Counter[str] = Counter()
        bi_df: Counter[tuple[str, str]] = Counter()
        for toks in docs:
            uni_df.update(set(toks))
            bi_df.update(set(pairwise(toks)))
        kept = {t for t, n in uni_df.items() if n >= min_df}
        unigrams = sorted(kept | LEXICON_TOKENS | set(always))
        ids = {t: i for i, t in enumerate(unigrams)}
        keys = sorted(
            ids[a] * PAIR + ids[b]
            for (a, b), n in bi_df.items()
            if n >= min_df and a in ids and b in ids
        )
        return cls.from_terms(unigrams, np.array(keys, dtype=np.int64))

    def id_of(self, token: str) -> int | None:
        i = self.lookup.get(token.encode("utf-8", "surrogatepass"))
        return i if i is not None and i >= 0 else None

    def terms(self) -> list[str]:
        uni = [""] * self.n_unigrams
        for t, i in self.lookup.items():
            if i >= 0:
                uni[i] = t.decode("utf-8", "surrogatepass")
        return uni


@dataclass(frozen=True)
class Encoded:
    """A batch of sentences as token ids (scorer and kind tagger share it)."""

    sentences: list[str]
    text: bytes  # prepare(sentences)
    ids: np.ndarray  # token ids, SEP_ID between sentences, UNKNOWN_ID if unseen
    rows: np.ndarray  # sentence index of each token

    @property
    def n(self) -> int:
        return len(self.sentences)


def encode(sentences: list[str], vocab: Vocab) -> Encoded:
    text = prepare(sentences)
    toks = text.split()
    ids = np.fromiter(
        map(vocab.lookup.get, toks, repeat(UNKNOWN_ID)), dtype=np.int64, count=len(toks)
    )
    rows = np.cumsum(ids == SEP_ID)
    return Encoded(sentences, text, ids, rows)


def word_occurrences(enc: Encoded, vocab: Vocab) -> tuple[np.ndarray, np.ndarray]:
    """(rows, feature ids) of every known unigram and bigram occurrence."""
    ids, rows = enc.ids, enc.rows
    known = ids >= 0
    pair = known[:-1] & known[1:]  # a separator is never "known"
    keys = ids[:-1][pair] * PAIR + ids[1:][pair]
    n_keys = len(vocab.bigram_keys)
    if n_keys:
        pos = np.searchsorted(vocab.bigram_keys, keys)
        hit = vocab.bigram_keys[np.minimum(pos, n_keys - 1)] == keys
    else:
        pos = np.zeros(len(keys), dtype=np.int64)
        hit = np.zeros(len(keys), dtype=bool)
    return (
        np.concatenate([rows[known], rows[:-1][pair][hit]]),
        np.concatenate([ids[known], pos[hit] + vocab.n_unigrams]),
    )


def hand_features(enc: Encoded, vocab: Vocab) -> np.ndarray:
    n = enc.n
    words = enc.ids != SEP_ID
    ids, rows = enc.ids[words], enc.rows[words]
    lexmask = np.append(vocab.lexmask, 0)  # last slot: unknown tokens
    masks = lexmask[np.where(ids >= 0, ids, len(vocab.lexmask))]

    def count(name: str) -> np.ndarray:
        return np.bincount(rows, weights=(masks & _BITS[name]) != 0, minlength=n)

    n_tokens = np.bincount(rows, minlength=n).astype(np.float64)
    # Capitalised words after the first: an upper-case ASCII letter after a space.
    raw = SEP.join(map(_clean, enc.sentences)).encode("utf-8", "surrogatepass")
    codes = np.frombuffer(raw, dtype=np.uint8)
    caps = np.flatnonzero((codes[1:] >= _CAP_A) & (codes[1:] <= _CAP_Z) & (codes[:-1] == _SPACE))
    n_caps = np.bincount(np.cumsum(codes == 0)[caps], minlength=n).astype(np.float64)
    question = np.fromiter(("?" in s for s in enc.sentences), dtype=bool, count=n)
    exclaim = np.fromiter(("!" in s for s in enc.sentences), dtype=bool, count=n)
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
        question,
        exclaim,
        count("future") > 0,
        count("hedge") > 0,
        n_tokens <= 4,
    ]
    return np.column_stack(cols).astype(np.float64).reshape(n, len(HAND_NAMES))


# Byte n-grams are hashed into a fixed table (uint32 rolling hash).
CHAR_BUCKETS = 1 << 16
CHAR_MIN, CHAR_MAX = 2, 4
_HASH_MUL = np.uint32(0x01000193)
_HASH_MIX = np.uint32(0x9E3779B1)
_BUCKET_SHIFT = np.uint32(32 - (CHAR_BUCKETS.bit_length() - 1))


def char_windows(text: bytes) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For n = CHAR_MIN..CHAR_MAX: (bucket of each window, its row, valid).

    ``text`` is prepare(sentences), padded here with CHAR_MAX separators so
    every n has a window at every text position. Windows that touch a
    separator are flagged invalid rather than removed, so that inference can
    skip compaction.
    """
    codes = np.frombuffer(text + _SEP_B * CHAR_MAX, dtype=np.uint8)
    sep = codes == 0
    rows = np.cumsum(sep)
    size = len(text)
    valid = ~sep
    h = codes.astype(np.uint32) + np.uint32(1)
    with np.errstate(over="ignore"):
        for n in range(2, CHAR_MAX + 1):
            h = h[:-1] * _HASH_MUL + codes[n - 1 : n - 1 + len(h) - 1]
            valid = valid[:-1] & ~sep[n - 1 : n - 1 + len(valid) - 1]
            if n < CHAR_MIN:
                continue
            buckets = ((h[:size] ^ np.uint32(n)) * _HASH_MIX) >> _BUCKET_SHIFT
            yield buckets, rows[:size], valid[:size]


def char_occurrences(text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(rows, bucket ids) of every byte n-gram occurrence (for training)."""
    rows_out, ids_out = [], []
    for buckets, rows, valid in char_windows(text):
        rows_out.append(rows[valid])
        ids_out.append(buckets[valid].astype(np.int64))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(ids_out)


def block_logits(
    rows: np.ndarray, ids: np.ndarray, idf2: np.ndarray, weighted: np.ndarray, n: int
) -> np.ndarray:
    """Per sentence: sum of count*idf/norm * coef. ``weighted`` is (heads, V) idf*coef."""
    norms = np.sqrt(np.bincount(rows, weights=idf2[ids], minlength=n))
    norms[norms == 0] = 1.0
    out = np.stack([np.bincount(rows, weights=w[ids], minlength=n) for w in weighted], axis=1)
    return out / norms[:, None]


def char_logits(text: bytes, table: np.ndarray, n: int) -> np.ndarray:
    """block_logits for the char block, without building occurrence arrays.

    ``table`` is (buckets + 1, 1 + heads): idf**2 then idf*coef per head, with
    a last all-zero row that invalid windows point to. Windows of every n
    that start at one position belong to the same sentence, so their table
    rows are added up first, then one np.add.reduceat over the contiguous
    runs sums all columns per sentence.
    """
    if not text:
        return np.zeros((n, table.shape[1] - 1))
    dummy = np.uint32(len(table) - 1)
    starts = np.concatenate([[0], np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 0) + 1])
    acc: np.ndarray | None = None
    for buckets, _, valid in char_windows(text):
        buckets[~valid] = dummy  # a fresh array per n: safe to overwrite
        rows = np.take(table, buckets, axis=0)
        if acc is None:
            acc = rows
        else:
            acc += rows
    sums = np.add.reduceat(acc, starts, axis=0).astype(np.float64)
    norms = np.sqrt(sums[:, 0])
    norms[norms == 0] = 1.0
    return sums[:, 1:] / norms[:, None]


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
