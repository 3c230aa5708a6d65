"""Claim extraction: split an article into sentences, score and tag each one.

Pure Python + numpy; no Django here, so it can be tested and benchmarked
alone. Public API::

    from claims.extraction import (
        extract_claims, score_sentences, split_sentences, Candidate,
        ExtractionError, MAX_TEXT_CHARS, KINDS, rescore_pending,
    )
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .attribution import strip_all, strip_attribution
from .kinds import KINDS, claim_kinds, kinds_encoded
from .scoring import (
    EncoderUnavailable,
    checkworthy_cut,
    encoder_available,
    get_model,
    preselect_levels,
    rescore,
    score_sentences,
    scored,
)
from .segmentation import split_sentences

__all__ = [
    "ENCODER_MAX_SENTENCES",
    "EncoderUnavailable",
    "KINDS",
    "MAX_TEXT_CHARS",
    "Candidate",
    "ExtractionError",
    "checkworthy_cut",
    "claim_kinds",
    "extract_claims",
    "is_blank",
    "preselect_levels",
    "rescore",
    "rescore_pending",
    "score_sentences",
    "split_sentences",
    "strip_attribution",
]

MAX_TEXT_CHARS = 2_000_000
# Up to this many sentences extract_claims scores with the encoder stack
# (~10 ms a sentence on one core); longer texts take the fast scorer.
ENCODER_MAX_SENTENCES = 1000


class ExtractionError(ValueError):
    """The text cannot be extracted; ``str(error)`` is a message for the user."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence of an article, as a possible claim."""

    text: str  # == article[start:end]
    start: int
    end: int
    score: float  # check-worthiness, 0..1
    checkworthy: bool  # score >= checkworthy_cut() (chosen for precision)
    kinds: tuple[str, ...]
    position: int  # 0-based order in the article

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kinds"] = list(self.kinds)
        return data


def is_blank(text: str) -> bool:
    """True for empty or whitespace-only input (extract_claims returns [])."""
    return not text or text.isspace()


def rescore_pending(n_sentences: int) -> bool:
    """True when extract_claims gave a text of this many sentences the fast
    scores and the best scorer can run: re-score it in the background with
    score_sentences."""
    return n_sentences > ENCODER_MAX_SENTENCES and encoder_available()


def extract_claims(text: str, *, max_chars: int | None = None) -> list[Candidate]:
    """Every sentence of ``text`` in order, scored and tagged with claim kinds.

    Returns [] for empty or whitespace-only text. Raises ExtractionError if
    ``text`` is longer than ``max_chars`` (default MAX_TEXT_CHARS).
    """
    limit = MAX_TEXT_CHARS if max_chars is None else max_chars
    if len(text) > limit:
        raise ExtractionError(
            f"Article is too long: {len(text):,} characters; the limit is {limit:,}."
        )
    if is_blank(text):
        return []
    spans = split_sentences(text)
    if not spans:
        return []
    sentences = [text[s:e] for s, e in spans]
    model = get_model()
    enc = model.encode(sentences)  # the kind tagger reads the sentences as written
    plain = strip_all(sentences)  # the scorers read them without attribution frames
    plain_enc = enc if plain == sentences else model.encode(plain)
    # Past ENCODER_MAX_SENTENCES the encoder would take too long in a request.
    scores, cut = scored(plain, plain_enc, allow_encoder=len(sentences) <= ENCODER_MAX_SENTENCES)
    kinds = kinds_encoded(enc, model.vocab)
    return [
        Candidate(sentence, s, e, score, score >= cut, kind, i)
        for i, (sentence, (s, e), score, kind) in enumerate(
            zip(sentences, spans, scores.tolist(), kinds, strict=True)
        )
    ]
