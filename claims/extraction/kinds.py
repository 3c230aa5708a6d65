"""Rule-based claim-kind tagger (Full Fact's taxonomy plus quotes).

Kinds help the editor triage; they are hints, not a classifier's verdict.
Each rule is a list of cue words or word pairs, looked up in the same token
stream the scorer uses (lower case, numbers as ``<num>``/``<pct>``/...), so a
whole article is tagged with dictionary look-ups instead of one big regex
per kind and sentence (that was the slowest step of extraction).
A sentence may carry several kinds; "other" only when no other kind applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import features as F

QUANTITY = "quantity"
CORRELATION_CAUSATION = "correlation_causation"
PREDICTION = "prediction"
RULES_LAWS = "rules_laws"
PERSONAL_EXPERIENCE = "personal_experience"
QUOTE_ATTRIBUTION = "quote_attribution"
OTHER = "other"

KINDS: tuple[str, ...] = (
    QUANTITY,
    CORRELATION_CAUSATION,
    PREDICTION,
    RULES_LAWS,
    PERSONAL_EXPERIENCE,
    QUOTE_ATTRIBUTION,
    OTHER,
)
_BIT = {kind: 1 << i for i, kind in enumerate(KINDS)}

_WORDS: dict[str, str] = {
    QUANTITY: (
        " ".join(F.NUMBER_TOKENS) + " % $ percent per cent percentage proportion average "
        "rate rates ratio statistic statistics figure figures one two three four five six seven "
        "eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty ninety "
        "hundred hundreds thousand thousands million millions billion billions trillion trillions "
        "dozen dozens half twice double doubled tripled quarter third majority minority most least "
        "record highest lowest largest smallest increase increased increases increasing decrease "
        "decreased decreases rise rose risen rising fall fell fallen falling halved"
    ),
    CORRELATION_CAUSATION: (
        "because cause causes caused causing consequently therefore blame blames blamed blaming "
        "triggered sparked prompted spurred fuelled fueled"
    ),
    PREDICTION: (
        "will won't shall i'll we'll you'll he'll she'll it'll they'll predict predicts predicted "
        "prediction predictions forecast forecasts projection projections projected"
    ),
    RULES_LAWS: (
        "law laws legislation legislative legislature bill bills regulation regulations regulatory "
        "regulator regulators rule rules illegal illegally legal legally lawful unlawful ban bans "
        "banned prohibit prohibits prohibited prohibition constitution constitutional statute "
        "statutes statutory court courts ruling ruled treaty treaties mandate mandates mandatory "
        "sanction sanctions licence licences license licenses permit permits policy policies "
        "enacted repealed vetoed"
    ),
    QUOTE_ATTRIBUTION: (
        "said says saying say stated states told tells announced announces claimed claims claiming "
        "argued argues added noted warned insisted acknowledged acknowledge admitted denied "
        "confirmed reported tweeted wrote posted declared asserted maintained vowed pledged "
        "promised"
    ),
}
_PAIRS: dict[str, str] = {
    QUANTITY: "more|than less|than fewer|than higher|than lower|than",
    CORRELATION_CAUSATION: (
        "due|to led|to leads|to lead|to leading|to result|in results|in resulted|in resulting|in "
        "a|result linked|to linked|with associated|with contributed|to contributes|to "
        "contribute|to contributing|to responsible|for thanks|to driven|by effect|of effects|of "
        "impact|of"
    ),
    PREDICTION: (
        "going|to expected|to set|to likely|to unlikely|to poised|to projected|to due|to "
        "track|to next|week next|month next|year next|decade the|future coming|days "
        "coming|weeks coming|months coming|years"
    ),
    RULES_LAWS: "signed|into required|by",
    QUOTE_ATTRIBUTION: "according|to",
}
_PRONOUNS = frozenset(["i", "we", "i've", "we've", "i'd", "we'd"])
_ADVERBS = frozenset(["have", "had", "personally", "once", "never", "always", "just", "also"])
_EXPERIENCE = frozenset(
    [
        "saw",
        "seen",
        "met",
        "visited",
        "worked",
        "lived",
        "live",
        "grew",
        "experienced",
        "remember",
        "watched",
        "was",
        "were",
        "been",
        "went",
        "heard",
        "felt",
        "lost",
        "spent",
        "raised",
        "taught",
        "served",
        "talked",
        "spoke",
    ]
)
_MY = frozenset(
    [
        "family",
        "mother",
        "father",
        "mom",
        "dad",
        "son",
        "daughter",
        "husband",
        "wife",
        "parents",
        "children",
        "kids",
        "home",
        "experience",
        "life",
        "brother",
        "sister",
        "grandmother",
        "grandfather",
        "own",
    ]
)

_PAIR_LIST: list[tuple[str, str, int]] = [
    (a, b, _BIT[kind])
    for kind, pairs in _PAIRS.items()
    for a, b in (p.split("|") for p in pairs.split())
]
CUE_TOKENS: frozenset[str] = frozenset(
    {w for words in _WORDS.values() for w in words.split()}
    | {t for a, b, _ in _PAIR_LIST for t in (a, b)}
    | _PRONOUNS
    | _ADVERBS
    | _EXPERIENCE
    | _MY
    | {"my", "when", "i"}
)

# Case matters for these, so they look at the original sentence (cheap
# substring tests first; the regex runs only on the few candidates).
_ACT_RE = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)* Act\b")
_QUOTE_RE = re.compile(r"[\"\u201c][^\"\u201d]*\s[^\"\u201d]*[\"\u201d]")


@dataclass(frozen=True)
class _Tables:
    """Cue look-ups expressed in one vocabulary's token ids."""

    word_bits: np.ndarray  # per unigram id
    pair_keys: np.ndarray  # sorted a * PAIR + b
    pair_bits: np.ndarray  # bits of each pair key
    pronoun: np.ndarray  # per unigram id: bool
    adverb: np.ndarray
    experience: np.ndarray
    family: np.ndarray
    my: int
    when: int
    i: int


@lru_cache(maxsize=4)
def _tables(vocab: F.Vocab) -> _Tables:
    n = vocab.n_unigrams
    get = vocab.id_of
    word_bits = np.zeros(n + 1, dtype=np.int64)  # last entry: unknown tokens
    for kind, words in _WORDS.items():
        for w in words.split():
            if (i := get(w)) is not None:
                word_bits[i] |= _BIT[kind]
    pairs: dict[int, int] = {}
    for a, b, bit in _PAIR_LIST:
        ia, ib = get(a), get(b)
        if ia is not None and ib is not None:
            key = ia * F.PAIR + ib
            pairs[key] = pairs.get(key, 0) | bit
    keys = np.array(sorted(pairs), dtype=np.int64)

    def member(words: frozenset[str]) -> np.ndarray:
        mask = np.zeros(n + 1, dtype=bool)  # last entry: unknown tokens
        for w in words:
            if (i := get(w)) is not None:
                mask[i] = True
        return mask

    return _Tables(
        word_bits,
        keys,
        np.array([pairs[k] for k in keys.tolist()], dtype=np.int64),
        member(_PRONOUNS),
        member(_ADVERBS),
        member(_EXPERIENCE),
        member(_MY),
        *(-3 if get(w) is None else get(w) for w in ("my", "when", "i")),
    )


_OWN_VOCAB = F.Vocab.from_terms(sorted(CUE_TOKENS | F.LEXICON_TOKENS), np.zeros(0, dtype=np.int64))


def kinds_encoded(enc: F.Encoded, vocab: F.Vocab) -> list[tuple[str, ...]]:
    """Claim kinds of each sentence of an encoded batch."""
    n = enc.n
    if n == 0:
        return []
    t = _tables(vocab)
    ids, rows = enc.ids, enc.rows
    known = ids >= 0
    safe = np.where(known, ids, vocab.n_unigrams)  # unknown/separator -> last slot
    masks = t.word_bits[safe]
    if len(ids) > 1:
        # Word pairs ("due to", "according to") by key look-up.
        both = known[:-1] & known[1:]
        keys = np.where(both, ids[:-1] * F.PAIR + ids[1:], -1)
        if len(t.pair_keys):
            pos = np.minimum(np.searchsorted(t.pair_keys, keys), len(t.pair_keys) - 1)
            masks[:-1] |= np.where(t.pair_keys[pos] == keys, t.pair_bits[pos], 0)
        # Personal experience: "I saw", "we have seen", "my family", "when I".
        pron, adv, exp, fam = t.pronoun[safe], t.adverb[safe], t.experience[safe], t.family[safe]
        hit = np.zeros(len(ids), dtype=bool)
        hit[:-1] = (
            pron[:-1] & exp[1:]
            | (ids[:-1] == t.my) & fam[1:]
            | (ids[:-1] == t.when) & (ids[1:] == t.i)
        )
        hit[:-2] |= pron[:-2] & adv[1:-1] & exp[2:]
        masks |= np.where(hit, _BIT[PERSONAL_EXPERIENCE], 0)
    bits = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(bits, rows[known], masks[known])
    out: list[tuple[str, ...]] = []
    for sentence, b in zip(enc.sentences, bits.tolist(), strict=True):
        if " Act" in sentence and _ACT_RE.search(sentence):
            b |= _BIT[RULES_LAWS]
        if ('"' in sentence or "\u201c" in sentence) and _QUOTE_RE.search(sentence):
            b |= _BIT[QUOTE_ATTRIBUTION]
        out.append(_NAMES[b] if b else (OTHER,))
    return out


# Every combination of the six bits as its tuple of names, precomputed.
_NAMES = [tuple(k for k in KINDS[:-1] if b & _BIT[k]) for b in range(1 << (len(KINDS) - 1))]


def kinds_batch(sentences: list[str]) -> list[tuple[str, ...]]:
    """Claim kinds of each sentence (standalone; extraction shares its encoding)."""
    return kinds_encoded(F.encode(sentences, _OWN_VOCAB), _OWN_VOCAB)


def claim_kinds(sentence: str) -> tuple[str, ...]:
    """The claim kinds of one sentence, in the order of ``KINDS``."""
    return kinds_batch([sentence])[0]
