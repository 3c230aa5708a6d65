"""Train the check-worthiness scorer and measure it with cross-validation.

Training only: this module may use scikit-learn; inference (scoring.py) is
numpy-only and reads the exported artifact.

Model (a two-stage stack):

1. Sparse TF-IDF features (features.py: word uni/bigrams, hashed byte
   2-4-grams, each group L2-normalised) feed two linear "heads": one trained
   on ClaimBuster (check-worthy factual statements; a blend of logistic
   regression and NB-LR folded into one weight vector), one on CLEF-2019
   debate lines (what journalists chose to check; logistic regression).
   Each head gives a logit. A third, distilled head (embedding.py,
   distillation.py) maps static MiniLM word vectors through a small network
   to the logit of a fine-tuned MiniLM teacher.
2. A small logistic regression combines the three heads' logits for the sentence
   and its previous and next sentence with hand features (features.py),
   and outputs the final 0..1 score. It is fitted on out-of-fold stage-1
   logits so it learns how far to trust each head on unseen text.

Figures: stratified 5-fold CV on ClaimBuster (F1 of the positive class at the
cut chosen from these folds) and leave-one-debate-out CV on CLEF-2019 (MAP).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer  # the baseline only
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold

from . import distillation as D
from . import features as F
from .kinds import CUE_TOKENS

SEED = 20240517
HEADS = ("claimbuster", "clef")  # the linear heads
LOGITS = (*HEADS, "student")  # stage-1 logit columns: linear heads, then the distilled head
TEACHER_PATH = Path(__file__).resolve().parents[2] / "scripts" / "checkworthiness_teacher.npz"
HEAD_C = {"claimbuster": 3.0, "clef": 1.0}
STACK_C = 0.1
NB_ALPHA = 1.0  # smoothing of the NB log-count ratios (ClaimBuster head)
MIN_DF = 2
CLEF_STACK_WEIGHT = 0.1  # relative weight of CLEF rows in the stage-2 fit
MAX_ID_GAP = 3  # ClaimBuster ids this close count as neighbouring sentences


@dataclass
class Corpus:
    texts: list[str]
    labels: np.ndarray
    groups: np.ndarray  # a run of consecutive sentences: a CLEF debate, a ClaimBuster id run
    order: np.ndarray  # position inside its group (line number / sentence id)
    tokens: list[list[str]] = field(default_factory=list)
    chars: csr_matrix | None = None  # hashed char n-gram counts
    hand: np.ndarray | None = None

    def featurise(self) -> None:
        self.tokens = F.token_lists(self.texts)
        rows, ids = F.char_occurrences(F.prepare(self.texts))
        self.chars = counts_matrix(rows, ids, len(self.texts), F.CHAR_BUCKETS)
        # Hand features only look at lexicon tokens, which every vocabulary has.
        lexicon = F.Vocab.build([], MIN_DF)
        self.hand = F.hand_features(F.encode(self.texts, lexicon), lexicon)


def counts_matrix(rows: np.ndarray, ids: np.ndarray, n_rows: int, n_cols: int) -> csr_matrix:
    """Occurrence arrays to a count matrix (duplicates add up)."""
    return csr_matrix((np.ones(len(rows)), (rows, ids)), shape=(n_rows, n_cols))


def word_counts(texts: list[str], vocab: F.Vocab) -> csr_matrix:
    rows, ids = F.word_occurrences(F.encode(texts, vocab), vocab)
    return counts_matrix(rows, ids, len(texts), vocab.size)


def idf(counts: csr_matrix) -> np.ndarray:
    """Smoothed idf per column, as scikit-learn computes it."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + df)) + 1.0


def block_values(counts: csr_matrix, idf_: np.ndarray) -> csr_matrix:
    """count * idf / norm, exactly as features.block_logits computes it."""
    norms = np.sqrt(counts @ (idf_ * idf_))
    norms[norms == 0] = 1.0
    scaled = counts.multiply(idf_[None, :]).tocsr()
    return csr_matrix(scaled.multiply(1.0 / norms[:, None]))


def _read_tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].rstrip("\r").split("\t")
    return [
        dict(zip(header, ln.rstrip("\r").split("\t"), strict=False))
        for ln in lines[1:]
        if ln.strip()
    ]


def load(data_dir: Path) -> tuple[Corpus, Corpus]:
    cb = _read_tsv(data_dir / "claimbuster_train.tsv")
    cl = _read_tsv(data_dir / "clef2019_task1_train.tsv")
    # ClaimBuster ids number the sentences of the source debates in order, and
    # the file itself is sorted by label: so context comes from id order, and
    # only across small id gaps (the training set is a sample of each debate).
    ids = np.array([int(r["sentence_id"]) for r in cb])
    order = np.argsort(ids, kind="stable")
    runs = np.zeros(len(ids), dtype=int)
    runs[order] = np.concatenate([[0], np.cumsum(np.diff(ids[order]) > MAX_ID_GAP)])
    claimbuster = Corpus(
        [r["text"] for r in cb],
        np.array([int(r["label"]) for r in cb]),
        np.array([f"cb{r}" for r in runs]),
        ids,
    )
    clef = Corpus(
        [r["text"] for r in cl],
        np.array([int(r["label"]) for r in cl]),
        np.array([r["debate"] for r in cl]),
        np.array([int(r["line"]) for r in cl]),
    )
    return claimbuster, clef


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@dataclass
class Stage1:
    vocab: F.Vocab
    idf_w: np.ndarray
    idf_c: np.ndarray
    heads: dict[str, Any]  # LogisticRegression or LinearHead

    def matrix(self, texts: list[str], chars: csr_matrix) -> csr_matrix:
        words = word_counts(texts, self.vocab)
        return hstack([block_values(words, self.idf_w), block_values(chars, self.idf_c)]).tocsr()

    def logits(self, texts: list[str], chars: csr_matrix) -> np.ndarray:
        X = self.matrix(texts, chars)
        return np.column_stack([self.heads[h].decision_function(X) for h in HEADS])


def fit_stage1(cb: Corpus, cb_idx: np.ndarray, cl: Corpus, cl_idx: np.ndarray) -> Stage1:
    texts = [cb.texts[i] for i in cb_idx] + [cl.texts[i] for i in cl_idx]
    docs = [cb.tokens[i] for i in cb_idx] + [cl.tokens[i] for i in cl_idx]
    vocab = F.Vocab.build(docs, MIN_DF, always=CUE_TOKENS)
    words = word_counts(texts, vocab)
    chars = vstack([cb.chars[cb_idx], cl.chars[cl_idx]]).tocsr()
    idf_w, idf_c = idf(words), idf(chars)
    X = hstack([block_values(words, idf_w), block_values(chars, idf_c)]).tocsr()
    n_cb = len(cb_idx)
    heads = {
        "claimbuster": fit_blended_head(X[:n_cb], cb.labels[cb_idx], HEAD_C["claimbuster"]),
        "clef": LogisticRegression(
            C=HEAD_C["clef"], class_weight="balanced", max_iter=3000, random_state=SEED
        ).fit(X[n_cb:], cl.labels[cl_idx]),
    }
    return Stage1(vocab, idf_w, idf_c, heads)


@dataclass
class LinearHead:
    """A fitted linear scorer with LogisticRegression's coef_/intercept_ shape."""

    coef_: np.ndarray  # (1, n_features)
    intercept_: np.ndarray  # (1,)

    def decision_function(self, X: csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.coef_[0]).ravel() + self.intercept_[0]


def nb_ratio(X: csr_matrix, y: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Log-count ratio of each feature's presence in positives vs negatives
    (Wang & Manning 2012, "NBSVM"), with add-alpha smoothing."""
    present = (X > 0).astype(np.float64)
    p = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def fit_blended_head(X: csr_matrix, y: np.ndarray, C: float) -> LinearHead:
    """Average of two linear models on the same features, folded into one.

    A plain logistic regression and an NB-LR (the same regression on features
    scaled by their log-count ratio) each give a logit; the head is the mean
    of the two, each divided by its spread on the training rows. Both are
    linear in X, so the blend is one weight vector: inference is unchanged.
    """
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=SEED).fit(
        X, y
    )
    r = nb_ratio(X, y)
    Xr = csr_matrix(X.multiply(r[None, :]))
    nb = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=SEED).fit(
        Xr, y
    )
    s_lr = float(np.std(lr.decision_function(X))) or 1.0
    s_nb = float(np.std(nb.decision_function(Xr))) or 1.0
    coef = 0.5 * (lr.coef_[0] / s_lr + r * nb.coef_[0] / s_nb)
    intercept = 0.5 * (lr.intercept_[0] / s_lr + nb.intercept_[0] / s_nb)
    return LinearHead(coef[None, :], np.array([intercept]))


def _without(texts_of_train: list[str], idx: np.ndarray, banned: set[str]) -> np.ndarray:
    """Drop training rows whose text also occurs in the held-out part (the
    corpora share some 2016 debate sentences; keeping them would leak)."""
    return np.array([i for i in idx if _norm(texts_of_train[i]) not in banned], dtype=int)


def _cb_folds(cb: Corpus) -> list[tuple[np.ndarray, np.ndarray]]:
    # Stratified, and grouped by runs of neighbouring sentences so that no
    # neighbour of a test sentence is in training (its logit would leak).
    skf = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    return list(skf.split(np.zeros(len(cb.labels)), cb.labels, cb.groups))


def _oof_job(cb: Corpus, cl: Corpus, kind: str, test: np.ndarray, train: np.ndarray) -> tuple:
    if kind == "cb":
        banned = {_norm(cb.texts[i]) for i in test}
        model = fit_stage1(cb, train, cl, _without(cl.texts, np.arange(len(cl.texts)), banned))
        return kind, test, model.logits([cb.texts[i] for i in test], cb.chars[test])
    banned = {_norm(cl.texts[i]) for i in test}
    model = fit_stage1(cb, _without(cb.texts, np.arange(len(cb.texts)), banned), cl, train)
    return kind, test, model.logits([cl.texts[i] for i in test], cl.chars[test])


def out_of_fold_logits(cb: Corpus, cl: Corpus, n_jobs: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Stage-1 logits for every row from models that never saw that row."""
    jobs = [("cb", te, tr) for tr, te in _cb_folds(cb)]
    for debate in np.unique(cl.groups):
        jobs.append(
            ("cl", np.flatnonzero(cl.groups == debate), np.flatnonzero(cl.groups != debate))
        )
    results = Parallel(n_jobs=n_jobs)(delayed(_oof_job)(cb, cl, *job) for job in jobs)
    cb_oof = np.zeros((len(cb.texts), len(HEADS)))
    cl_oof = np.zeros((len(cl.texts), len(HEADS)))
    for kind, test, logits in results:
        (cb_oof if kind == "cb" else cl_oof)[test] = logits
    return cb_oof, cl_oof


def _context_rows(
    logits: np.ndarray, hand: np.ndarray, groups: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Second-stage inputs; neighbours never cross a debate boundary."""
    out = np.zeros((len(logits), 3 * logits.shape[1] + hand.shape[1]))
    for idx in _runs(groups, order):
        out[idx] = F.context_matrix(logits[idx], hand[idx])
    return out


def _runs(groups: np.ndarray, order: np.ndarray) -> list[np.ndarray]:
    """Row indices of each group, in reading order."""
    by = np.lexsort((order, groups))
    cuts = np.flatnonzero(groups[by][1:] != groups[by][:-1]) + 1
    return np.split(by, cuts)


def _alone_rows(logits: np.ndarray, hand: np.ndarray) -> np.ndarray:
    """Second-stage inputs for sentences scored one at a time (no neighbours)."""
    zeros = np.zeros_like(logits)
    return np.hstack([logits, zeros, zeros, hand])


@dataclass
class Stage2:
    mean: np.ndarray
    scale: np.ndarray
    model: LogisticRegression

    def predict(self, Z: np.ndarray) -> np.ndarray:
        return self.model.predict_proba((Z - self.mean) / self.scale)[:, 1]


def fit_stage2(Z: np.ndarray, y: np.ndarray, w: np.ndarray) -> Stage2:
    mean = Z.mean(axis=0)
    scale = Z.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=STACK_C, max_iter=2000, random_state=SEED)
    model.fit((Z - mean) / scale, y, sample_weight=w)
    return Stage2(mean, scale, model)


def _stack_weights(n_cb: int, cl: Corpus) -> np.ndarray:
    # Balance the corpora: CLEF has twice the rows but a tenth of the positives.
    w_cl = CLEF_STACK_WEIGHT * n_cb / len(cl.labels)
    return np.concatenate([np.ones(n_cb), np.full(len(cl.labels), w_cl)])


def mean_average_precision(y: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> float:
    aps = [
        average_precision_score(y[groups == g], scores[groups == g])
        for g in np.unique(groups)
        if y[groups == g].any()
    ]
    return float(np.mean(aps))


def best_cut(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The score threshold that maximises F1 of the positive class, and that F1."""
    best = (0.0, 0.5)
    for cut in np.round(np.arange(0.05, 0.951, 0.01), 2):
        best = max(best, (f1_score(y, scores >= cut), float(cut)))
    return best[1], best[0]


def cross_validate_stack(
    cb: Corpus, cl: Corpus, cb_oof: np.ndarray, cl_oof: np.ndarray
) -> dict[str, Any]:
    """Stage-2 CV on top of out-of-fold stage-1 logits, same folds as stage 1."""
    Zcb = _context_rows(cb_oof, cb.hand, cb.groups, cb.order)
    Zcl = _context_rows(cl_oof, cl.hand, cl.groups, cl.order)
    Z = np.vstack([Zcb, Zcl])
    y = np.concatenate([cb.labels, cl.labels])
    w = _stack_weights(len(cb.labels), cl)
    n_cb = len(cb.labels)
    cb_scores = np.zeros(n_cb)
    cl_scores = np.zeros(len(cl.labels))
    for tr, te in _cb_folds(cb):
        keep = np.concatenate([tr, n_cb + np.arange(len(cl.labels))])
        cb_scores[te] = fit_stage2(Z[keep], y[keep], w[keep]).predict(Zcb[te])
    for debate in np.unique(cl.groups):
        te = np.flatnonzero(cl.groups == debate)
        keep = np.concatenate([np.arange(n_cb), n_cb + np.flatnonzero(cl.groups != debate)])
        cl_scores[te] = fit_stage2(Z[keep], y[keep], w[keep]).predict(Zcl[te])
    cut, f1 = best_cut(cb.labels, cb_scores)
    # Is the cut robust? F1 a little either side of it, and F1 when each
    # fold's cut is chosen on the other four folds only (no peeking).
    near = {
        f"{c:.2f}": float(f1_score(cb.labels, cb_scores >= c))
        for c in np.round(cut + np.arange(-0.08, 0.081, 0.04), 2)
    }
    nested = np.zeros(n_cb, dtype=bool)
    for tr, te in _cb_folds(cb):
        nested[te] = cb_scores[te] >= best_cut(cb.labels[tr], cb_scores[tr])[0]
    # Held-out sentences may come one at a time, or as a list in any order:
    # score ClaimBuster rows alone and with random neighbours too.
    shuffled = np.random.default_rng(SEED).permutation(n_cb)
    Zcb_shuffled = np.zeros_like(Zcb)
    Zcb_shuffled[shuffled] = F.context_matrix(cb_oof[shuffled], cb.hand[shuffled])
    alone, noisy = np.zeros(n_cb), np.zeros(n_cb)
    for tr, te in _cb_folds(cb):
        keep = np.concatenate([tr, n_cb + np.arange(len(cl.labels))])
        model = fit_stage2(Z[keep], y[keep], w[keep])
        alone[te] = model.predict(_alone_rows(cb_oof[te], cb.hand[te]))
        noisy[te] = model.predict(Zcb_shuffled[te])
    return {
        "claimbuster_f1": f1,
        "cut": cut,
        "claimbuster_f1_near_cut": near,
        "claimbuster_f1_nested_cut": float(f1_score(cb.labels, nested)),
        "claimbuster_f1_alone": float(f1_score(cb.labels, alone >= cut)),
        "claimbuster_f1_alone_best": best_cut(cb.labels, alone)[1],
        "claimbuster_f1_shuffled": float(f1_score(cb.labels, noisy >= cut)),
        "clef_map": mean_average_precision(cl.labels, cl_scores, cl.groups),
        "head_f1": {
            h: best_cut(cb.labels, 1 / (1 + np.exp(-cb_oof[:, k])))[1] for k, h in enumerate(LOGITS)
        },
        "head_map": {
            h: mean_average_precision(cl.labels, cl_oof[:, k], cl.groups)
            for k, h in enumerate(LOGITS)
        },
        "Z": Z,
        "y": y,
        "w": w,
    }


def baseline(cb: Corpus, cl: Corpus, n_jobs: int = 2) -> dict[str, float]:
    """Plain TF-IDF (word 1-2-grams) + logistic regression, each corpus alone."""

    def fit_predict(tr_texts: list[str], tr_y: np.ndarray, te_texts: list[str]) -> np.ndarray:
        vec = TfidfVectorizer(ngram_range=(1, 2))
        model = LogisticRegression(max_iter=2000, random_state=SEED)
        model.fit(vec.fit_transform(tr_texts), tr_y)
        return model.predict_proba(vec.transform(te_texts))[:, 1]

    cb_scores = np.zeros(len(cb.labels))
    for tr, te in _cb_folds(cb):
        cb_scores[te] = fit_predict(
            [cb.texts[i] for i in tr], cb.labels[tr], [cb.texts[i] for i in te]
        )
    cl_scores = np.zeros(len(cl.labels))
    for debate in np.unique(cl.groups):
        te, tr = np.flatnonzero(cl.groups == debate), np.flatnonzero(cl.groups != debate)
        cl_scores[te] = fit_predict(
            [cl.texts[i] for i in tr], cl.labels[tr], [cl.texts[i] for i in te]
        )
    return {
        "claimbuster_f1_at_0.5": float(f1_score(cb.labels, cb_scores >= 0.5)),
        "claimbuster_f1_best_cut": best_cut(cb.labels, cb_scores)[1],
        "clef_map": mean_average_precision(cl.labels, cl_scores, cl.groups),
    }


def export(
    stage1: Stage1, student: Student, stage2: Stage2, cut: float, metrics: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Everything inference needs, as plain numpy arrays (no pickles)."""
    terms = stage1.vocab.terms()
    if any("\n" in t for t in terms):
        raise ValueError("tokens must not contain newlines")
    n_w = stage1.vocab.size
    coef = np.column_stack([stage1.heads[h].coef_[0] for h in HEADS])
    return {
        **student.arrays,
        "format": np.array([3]),
        "unigrams": np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
        "bigram_keys": stage1.vocab.bigram_keys,
        "idf_w": stage1.idf_w.astype(np.float32),
        "coef_w": coef[:n_w].astype(np.float32),
        "idf_c": stage1.idf_c.astype(np.float32),
        "coef_c": coef[n_w:].astype(np.float32),
        "intercept": np.array([stage1.heads[h].intercept_[0] for h in HEADS]),
        "stack_mean": stage2.mean,
        "stack_scale": stage2.scale,
        "stack_coef": stage2.model.coef_[0],
        "stack_intercept": stage2.model.intercept_,
        "cut": np.array([cut]),
        "metrics_json": np.frombuffer(json.dumps(metrics).encode("utf-8"), dtype=np.uint8),
    }


def check_inference(
    path: Path, stage1: Stage1, student: Student, stage2: Stage2, cb: Corpus
) -> float:
    """Score a sample with the numpy scorer and with scikit-learn: must agree."""
    from .scoring import Model  # numpy-only inference code

    texts = cb.texts[:500]
    model = Model(path)
    logits = np.column_stack([stage1.logits(texts, cb.chars[:500]), student.logits(texts)])
    expected = stage2.predict(F.context_matrix(logits, cb.hand[:500]))
    diff = float(np.max(np.abs(model.score(texts) - expected)))
    if diff > 1e-3:
        raise AssertionError(f"numpy inference disagrees with training: {diff}")
    return diff


@dataclass
class Student:
    """The distilled head as fitted, with what it needs to score raw text."""

    fitted: D.FittedStudent
    vocab: F.Vocab  # the final stage-1 vocabulary: its unigrams are the student's words
    table: np.ndarray  # unprojected, see distillation.table
    arrays: dict[str, np.ndarray]  # its part of the artifact

    def logits(self, texts: list[str]) -> np.ndarray:
        return self.fitted.logits(D.sentence_matrix(texts, self.vocab, self.table))


def _student_job(
    S: np.ndarray, target: np.ndarray, rows: np.ndarray, score_rows: np.ndarray
) -> tuple:
    fitted = D.fit_student(S[rows], target[rows])
    return fitted, fitted.logits(S[score_rows])


def student_logits(
    cb: Corpus, cl: Corpus, teacher: D.Teacher, n_jobs: int = 2, plain: tuple | None = None
) -> tuple:
    """Out-of-fold distilled-head logits for every row, and the final head.

    ClaimBuster fold k is scored by a student that imitated the teacher
    trained without fold k, on the other folds and the CLEF rows (minus
    CLEF copies of fold k's sentences). CLEF rows are scored by the final
    student: neither it nor its teacher ever saw a CLEF label. With
    ``plain`` (other texts of the same rows: ClaimBuster's, CLEF's), the
    same students' logits of those texts are returned too.
    """
    # The words are the unigrams of the final stage-1 vocabulary (built from
    # all text, no labels), so inference indexes the table by the token ids
    # the scorer already has; every fold uses the same words.
    vocab = F.Vocab.build(cb.tokens + cl.tokens, MIN_DF, always=CUE_TOKENS)
    weights, vectors = teacher.rows_for(vocab)
    table = D.table(weights, vectors)
    S = np.vstack(
        [D.sentence_matrix(cb.texts, vocab, table), D.sentence_matrix(cl.texts, vocab, table)]
    )
    n_cb, n_all = len(cb.texts), len(cb.texts) + len(cl.texts)
    jobs = []
    for k, (train_idx, test_idx) in enumerate(_cb_folds(cb)):
        banned = {_norm(cb.texts[i]) for i in test_idx}
        rows = np.concatenate(
            [train_idx, n_cb + _without(cl.texts, np.arange(len(cl.texts)), banned)]
        )
        target = np.concatenate([teacher.cb_logits[k], teacher.cl_logits[k]])
        jobs.append((S, target, rows, test_idx))
    final_target = np.concatenate([teacher.cb_logits[D.FINAL], teacher.cl_logits[D.FINAL]])
    jobs.append((S, final_target, np.arange(n_all), np.arange(n_cb, n_all)))
    results = Parallel(n_jobs=n_jobs)(delayed(_student_job)(*job) for job in jobs)
    cb_out = np.zeros(n_cb)
    for (_, _, _, test_idx), (_, logits) in zip(jobs[:-1], results[:-1], strict=True):
        cb_out[test_idx] = logits
    final, cl_out = results[-1]
    student = Student(final, vocab, table, final.export(weights, vectors))
    if plain is None:
        return cb_out, cl_out, student
    S_cb, S_cl = (D.sentence_matrix(texts, vocab, table) for texts in plain)
    cb_plain = np.zeros(n_cb)
    for (_, _, _, test_idx), (fitted, _) in zip(jobs[:-1], results[:-1], strict=True):
        cb_plain[test_idx] = fitted.logits(S_cb[test_idx])
    return cb_out, cl_out, student, cb_plain, final.logits(S_cl)


def fold_index(cb: Corpus) -> np.ndarray:
    out = np.zeros(len(cb.texts), dtype=int)
    for k, (_, test_idx) in enumerate(_cb_folds(cb)):
        out[test_idx] = k
    return out


def prepare(
    data_dir: Path, n_jobs: int = 2, teacher_path: Path = TEACHER_PATH
) -> tuple[Corpus, Corpus, np.ndarray, np.ndarray, Student]:
    """Load, featurise and compute out-of-fold stage-1 logits (the slow part)."""
    cb, cl = load(data_dir)
    cb.featurise()
    cl.featurise()
    cb_oof, cl_oof = out_of_fold_logits(cb, cl, n_jobs=n_jobs)
    teacher = D.Teacher.load(teacher_path, cb.texts, cl.texts)
    if not np.array_equal(teacher.folds, fold_index(cb)):
        raise ValueError(
            "the teacher file was made with other folds: run scripts/teacher_checkworthiness.py again"
        )
    st_cb, st_cl, student = student_logits(cb, cl, teacher, n_jobs)
    return cb, cl, np.column_stack([cb_oof, st_cb]), np.column_stack([cl_oof, st_cl]), student


def train(
    data_dir: Path,
    out_path: Path,
    n_jobs: int = 2,
    with_baseline: bool = True,
    teacher_path: Path = TEACHER_PATH,
) -> dict[str, Any]:
    cb, cl, cb_oof, cl_oof, student = prepare(data_dir, n_jobs, teacher_path)
    cv = cross_validate_stack(cb, cl, cb_oof, cl_oof)
    stage1 = fit_stage1(cb, np.arange(len(cb.texts)), cl, np.arange(len(cl.texts)))
    stage2 = fit_stage2(cv["Z"], cv["y"], cv["w"])
    metrics: dict[str, Any] = {k: v for k, v in cv.items() if k not in ("Z", "y", "w")}
    if with_baseline:
        metrics["baseline"] = baseline(cb, cl)
    arrays = export(stage1, student, stage2, cv["cut"], metrics)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_path, **arrays)
    metrics["artifact_bytes"] = out_path.stat().st_size
    metrics["inference_max_abs_diff"] = check_inference(out_path, stage1, student, stage2, cb)
    return metrics
