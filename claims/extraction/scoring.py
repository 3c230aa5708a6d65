"""Check-worthiness scoring at inference time (no scikit-learn).

Two scorers share one calibration (encoder_stack.py): the fast numpy-only
stack below, and the best one, which adds MiniLM fine-tuned for
check-worthiness (``finetuned/``, run with onnxruntime). ``score_sentences`` always uses the best one that can load;
extract_claims takes the fast one for very long texts.

The fast scorer:
Reads the artifact written by training.py (``model.npz`` next to this file),
once, lazily, and caches it for the life of the process. The computation
mirrors training exactly: sublinear TF-IDF over word n-grams, idf-weighted
hashed char n-grams (features.char_block), each group L2-normalised, two
linear heads and the distilled head
(embedding.py), then the stage-2 logistic regression over own and
neighbouring logits plus hand features.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

import numpy as np

from . import features as F
from .attribution import strip_all
from .embedding import Student
from .encoder_stack import Calibration, EncoderStack, platt
from .encoder_stack import load as load_stack

MODEL_PATH = Path(__file__).with_name("model.npz")
FINETUNED_DIR = Path(__file__).with_name("finetuned")

log = logging.getLogger(__name__)
_lock = threading.RLock()
_cache: dict[Path, Model] = {}
_stack_arrays: tuple[Calibration, EncoderStack] | None = None
_encoder_state = None  # None: not tried yet; False: cannot load; else the encoder


class Model:
    """A loaded scorer. Use :func:`get_model` rather than building one."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            terms = z["unigrams"].tobytes().decode("utf-8").split("\n")
            self.vocab = F.Vocab.from_terms(terms, z["bigram_keys"])
            # Fold idf into the weights once: a block logit is then
            # sum(weighted[f]) / sqrt(sum(idf2[f])) over the occurrences f.
            idf_w = z["idf_w"].astype(np.float64)
            self.word_idf2 = idf_w * idf_w
            self.word_weighted = np.ascontiguousarray((idf_w[:, None] * z["coef_w"]).T)
            # Char table: idf**2 and idf*coef per head, plus an all-zero last
            # row for windows that cross sentences (features.char_logits).
            idf_c = z["idf_c"].astype(np.float64)
            coef_c = z["coef_c"].astype(np.float64)
            table = np.zeros((len(idf_c) + 1, 1 + coef_c.shape[1]), dtype=np.float32)
            table[:-1, 0] = idf_c * idf_c
            table[:-1, 1:] = idf_c[:, None] * coef_c
            self.char_table = table
            self.intercept = z["intercept"].astype(np.float64)
            self.student = Student.from_npz(z)
            if (
                self.student is not None
                and self.student.table.shape[1] != self.vocab.n_unigrams + 1
            ):
                raise ValueError(f"{path}: the student table does not match the vocabulary")
            self.stack_mean = z["stack_mean"]
            self.stack_scale = z["stack_scale"]
            self.stack_coef = z["stack_coef"]
            self.stack_intercept = float(z["stack_intercept"][0])
            self.cut = float(z["cut"][0])
            self.metrics = json.loads(z["metrics_json"].tobytes().decode("utf-8"))

    def encode(self, sentences: list[str]) -> F.Encoded:
        return F.encode(sentences, self.vocab)

    def first_stage(self, enc: F.Encoded) -> tuple[np.ndarray, np.ndarray]:
        """Per-head logits (n, heads) and hand features (n, k)."""
        rows, ids = F.word_occurrences(enc, self.vocab)
        logits = F.block_logits(rows, ids, self.word_idf2, self.word_weighted, enc.n)
        logits += F.char_logits(enc.text, self.char_table, enc.n)
        logits += self.intercept
        if self.student is not None:
            logits = np.column_stack([logits, self.student.logits(enc)])
        return logits, F.hand_features(enc, self.vocab)

    def margin_from(self, logits: np.ndarray, hand: np.ndarray) -> np.ndarray:
        """The stage-2 log-odds (uncalibrated) from first-stage outputs."""
        z = (F.context_matrix(logits, hand) - self.stack_mean) / self.stack_scale
        return z @ self.stack_coef + self.stack_intercept

    def score_encoded(self, enc: F.Encoded) -> np.ndarray:
        """The stage-2 probability as trained (uncalibrated; see fast_scores)."""
        if enc.n == 0:
            return np.zeros(0)
        margin = self.margin_from(*self.first_stage(enc))
        # Numerically safe sigmoid; clip keeps the result inside [0, 1].
        return np.clip(0.5 * (1.0 + np.tanh(0.5 * margin)), 0.0, 1.0)

    def score(self, sentences: list[str]) -> np.ndarray:
        return self.score_encoded(self.encode(list(sentences)))


def get_model(path: Path = MODEL_PATH) -> Model:
    """The process-wide model, loaded on first use."""
    model = _cache.get(path)
    if model is None:
        with _lock:
            model = _cache.get(path)
            if model is None:
                model = _cache[path] = Model(path)
    return model


def _stack() -> tuple[Calibration, EncoderStack]:
    global _stack_arrays
    if _stack_arrays is None:
        with _lock:
            if _stack_arrays is None:
                _stack_arrays = load_stack()
    return _stack_arrays


def _best_encoder():
    """The shared sentence encoder, or None (logged once) if it cannot run."""
    global _encoder_state
    if _encoder_state is None:
        with _lock:
            if _encoder_state is None:
                _encoder_state = _load_encoder()
    return _encoder_state or None


def _load_encoder():
    calibration, _ = _stack()
    try:
        encoder = encoder_factory()
        if encoder.version != calibration.encoder_version:
            raise RuntimeError(
                f"encoder {encoder.version} is not the one the heads were trained on "
                f"({calibration.encoder_version})"
            )
        return encoder
    except Exception as error:  # noqa: BLE001 - any failure means: use the fast scorer
        log.warning(
            "Check-worthiness: the sentence encoder could not load (%s: %s); "
            "using the fast scorer for every text.",
            type(error).__name__,
            error,
        )
        return False


def encoder_factory():
    """The best scorer's encoder: MiniLM fine-tuned for check-worthiness
    (``finetuned/``, int8 ONNX), loaded once per process by _best_encoder.
    FACTCHECK_ENCODER_THREADS sets its thread count, as for the shared one."""
    from claims.encoder import Encoder

    threads = os.environ.get("FACTCHECK_ENCODER_THREADS")
    return Encoder(FINETUNED_DIR, threads=int(threads) if threads else None)


def reset_caches() -> None:
    """Forget loaded models (after retraining, or in tests)."""
    global _stack_arrays, _encoder_state
    with _lock:
        _cache.clear()
        _stack_arrays = None
        _encoder_state = None


def encoder_available() -> bool:
    return _best_encoder() is not None


def fast_scores(enc: F.Encoded) -> np.ndarray:
    """Calibrated scores from the numpy-only scorer."""
    if enc.n == 0:
        return np.zeros(0)
    calibration, _ = _stack()
    return platt(get_model().margin_from(*get_model().first_stage(enc)), calibration.fast_platt)


# score_sentences(progress=...) reports after encoding this many sentences.
PROGRESS_EVERY = 100


def _encode(encoder, sentences: list[str], progress) -> np.ndarray:
    if progress is None:
        return encoder.encode(sentences)
    parts = []
    for start in range(0, len(sentences), PROGRESS_EVERY):
        parts.append(encoder.encode(sentences[start : start + PROGRESS_EVERY]))
        progress(min(start + PROGRESS_EVERY, len(sentences)), len(sentences))
    return np.vstack(parts)


class EncoderUnavailable(RuntimeError):
    """The best scorer cannot run (its encoder did not load or failed)."""


def encoder_scores(sentences: list[str], enc: F.Encoded, progress=None) -> np.ndarray:
    """Calibrated scores from the encoder stack, or EncoderUnavailable (no fallback)."""
    encoder = _best_encoder()
    if encoder is None:
        raise EncoderUnavailable("the sentence encoder could not load")
    calibration, stack = _stack()
    logits, hand = get_model().first_stage(enc)
    try:
        vectors = _encode(encoder, sentences, progress)
    except Exception as error:
        raise EncoderUnavailable(f"the encoder failed ({type(error).__name__}: {error})") from error
    return platt(stack.margin(logits, hand, vectors), calibration.best_platt)


def scored(
    sentences: list[str], enc: F.Encoded, *, allow_encoder: bool = True, progress=None
) -> tuple[np.ndarray, float]:
    """Calibrated scores and the cut of the scorer that made them: the encoder
    stack's when it can run, else the fast scorer's (a failed run is logged)."""
    calibration, _ = _stack()
    if enc.n and allow_encoder and _best_encoder() is not None:
        try:
            return encoder_scores(sentences, enc, progress), calibration.cut
        except EncoderUnavailable as error:  # a failed run must not lose the extraction
            log.warning("Check-worthiness: %s; using the fast scorer.", error)
    return fast_scores(enc), calibration.fast_cut


def best_scores(sentences: list[str], enc: F.Encoded, progress=None) -> np.ndarray:
    """Calibrated scores from the encoder stack; the fast scorer if the encoder
    cannot load or fails on this text (logged). ``progress(done, total)`` is
    called as the encoder works through the sentences."""
    return scored(sentences, enc, progress=progress)[0]


def rescore(sentences: list[str], *, progress=None) -> list[float]:
    """score_sentences for a background re-score: the encoder stack's scores,
    or EncoderUnavailable rather than the fast scores the text already has."""
    plain = strip_all(list(sentences))
    if not plain:
        return []
    return encoder_scores(plain, get_model().encode(plain), progress).tolist()


def score_sentences(sentences: list[str], *, progress=None) -> list[float]:
    """Calibrated check-worthiness in 0..1 of consecutive sentences of one
    text, from the best scorer available, whatever the length.

    ``progress(done, total)``, if given, is called every PROGRESS_EVERY
    sentences while the encoder runs (a background re-score shows it).
    Every scorer reads the sentence without its attribution frame
    (attribution.py): who said it does not make a claim more check-worthy."""
    plain = strip_all(list(sentences))
    return best_scores(plain, get_model().encode(plain), progress).tolist()


def checkworthy_cut() -> float:
    """The calibrated score at or above which a sentence counts as check-worthy
    (chosen for precision >= 0.85 on ClaimBuster-style text)."""
    return _stack()[0].cut


def fast_checkworthy_cut() -> float:
    """The same precision as checkworthy_cut() on the fast scorer's scores."""
    return _stack()[0].fast_cut


def preselect_levels() -> dict[str, float]:
    """Cuts for the triage screen's "Pre-select: strict / normal / broad"."""
    return dict(_stack()[0].levels)
