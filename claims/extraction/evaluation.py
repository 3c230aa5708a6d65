"""Leak-free evaluation of check-worthiness scorers (training only, scikit-learn).

Why a separate protocol: the leave-one-debate-out (LODO) MAP that training.py
reports (0.246) did not predict the held-out CLEF-2019 test MAP (0.1325).
The held-out sentences were removed from the training data *before* we got
it, so a held-out debate never has a copy in ClaimBuster. In LODO it does:
ClaimBuster holds ~250 labelled sentences of each of the three 2016
presidential debates that are also CLEF training debates. training.py drops
only exact copies (after normalisation); sentences that ClaimBuster split or
punctuated differently stay, and the distilled head's teacher saw all of
ClaimBuster. Here a ClaimBuster row belongs to a CLEF debate when its text
occurs inside that debate's transcript, and every model fitted for a LODO
fold leaves out the held-out debate's ClaimBuster rows as well as its lines.

Stage-1 heads, per fold (all linear or shallow, all fitted here):

* ``claimbuster``, ``clef``: the shipped TF-IDF heads (training.fit_stage1);
* ``enc_cb``, ``enc_clef``: logistic regressions on the shared encoder's
  frozen sentence vectors (claims.encoder), one per corpus.

The distilled head (``student``) cannot be made leak-free for the three
debates without re-running its teacher (PyTorch, ~45 minutes idle), so its
CLEF figures are also given over the 16 debates ClaimBuster does not cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_score

from . import training as T

ENC_C = {"cb": 1.0, "clef": 0.1}  # chosen on the same folds (0.3/1/3, 0.1/0.3/1)
MIN_COVERED = 20  # a debate with this many ClaimBuster copies is covered by ClaimBuster
MIN_SOURCE_CHARS = 25  # shorter sentences ("Thank you.") occur everywhere


def claimbuster_sources(cb: T.Corpus, cl: T.Corpus) -> np.ndarray:
    """Per ClaimBuster row: the CLEF debate whose transcript contains it, or ''."""
    out = np.full(len(cb.texts), "", dtype=object)
    norms = [T._norm(t) for t in cb.texts]
    for debate in np.unique(cl.groups):
        blob = (
            " " + " ".join(T._norm(cl.texts[i]) for i in np.flatnonzero(cl.groups == debate)) + " "
        )
        for i, text in enumerate(norms):
            if len(text) >= MIN_SOURCE_CHARS and f" {text} " in blob:
                out[i] = debate
        # ClaimBuster ids number each debate's sentences in order: the rows
        # between a covered debate's copies (split or worded differently) are
        # from that debate too.
        ids = cb.order[out == debate]
        if len(ids) >= MIN_COVERED:
            lo, hi = np.percentile(ids, [1, 99])
            out[(out == "") & (cb.order >= lo) & (cb.order <= hi)] = debate
    return out


def covered_debates(sources: np.ndarray) -> set[str]:
    names, counts = np.unique(sources[sources != ""], return_counts=True)
    return {str(n) for n, c in zip(names, counts, strict=True) if c >= MIN_COVERED}


@dataclass
class Folds:
    """Train/test indices of every fold of both protocols."""

    cb: list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (cb train, cb test, clef train)
    cl: list[
        tuple[str, np.ndarray, np.ndarray, np.ndarray]
    ]  # (debate, cb train, clef train, clef test)


def make_folds(cb: T.Corpus, cl: T.Corpus, sources: np.ndarray | None) -> Folds:
    """``sources=None`` reproduces training.py's protocol (exact copies only)."""
    all_cl, all_cb = np.arange(len(cl.texts)), np.arange(len(cb.texts))
    cb_folds = []
    for tr, te in T._cb_folds(cb):
        banned = {T._norm(cb.texts[i]) for i in te}
        cb_folds.append((tr, te, T._without(cl.texts, all_cl, banned)))
    cl_folds = []
    for debate in np.unique(cl.groups):
        te = np.flatnonzero(cl.groups == debate)
        banned = {T._norm(cl.texts[i]) for i in te}
        cb_tr = T._without(cb.texts, all_cb, banned)
        if sources is not None:
            cb_tr = cb_tr[sources[cb_tr] != debate]
        cl_folds.append((debate, cb_tr, np.flatnonzero(cl.groups != debate), te))
    return Folds(cb_folds, cl_folds)


def debate_group_index(cl: T.Corpus, n_groups: int = 5) -> np.ndarray:
    """Per CLEF line, the group that holds its whole debate out when a model
    is too slow to fit once per debate (the fine-tuned encoder: 19 fine-tunes
    would take hours here). Debates in name order, dealt round-robin; leaving
    four debates out is a harder test than leaving one."""
    debates = sorted(set(cl.groups.tolist()))
    group_of = {d: i % n_groups for i, d in enumerate(debates)}
    return np.array([group_of[d] for d in cl.groups], dtype=np.int8)


def group_fold_rows(
    cb: T.Corpus, cl: T.Corpus, cb_folds, cl_groups, k: int, sources: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Training rows of combined fold k, which predicts ClaimBuster fold k and
    CLEF debate group k: ClaimBuster outside its fold k and not from a
    held-out debate (``sources``, claimbuster_sources), CLEF lines outside
    group k; neither a copy of a held-out row of the other corpus."""
    held_debates = list(set(cl.groups[cl_groups == k].tolist()))
    banned_cl = {T._norm(cl.texts[i]) for i in np.flatnonzero(cl_groups == k)}
    cb_train = np.flatnonzero((cb_folds != k) & ~np.isin(sources, held_debates))
    cb_train = T._without(cb.texts, cb_train, banned_cl)
    banned_cb = {T._norm(cb.texts[i]) for i in np.flatnonzero(cb_folds == k)}
    cl_train = T._without(cl.texts, np.flatnonzero(cl_groups != k), banned_cb)
    return cb_train, cl_train


def _enc_heads(V_cb, V_cl, y_cb, y_cl, cb_tr, cl_tr, V_test) -> np.ndarray:
    cols = []
    for key, V, y, tr in (("cb", V_cb, y_cb, cb_tr), ("clef", V_cl, y_cl, cl_tr)):
        model = LogisticRegression(C=ENC_C[key], class_weight="balanced", max_iter=3000)
        model.fit(V[tr], y[tr])
        cols.append(model.decision_function(V_test))
    return np.column_stack(cols)


def _job(cb, cl, V_cb, V_cl, cb_tr, cl_tr, kind, te, plain=None):
    corpus, V = (cb, V_cb) if kind == "cb" else (cl, V_cl)
    stage1 = T.fit_stage1(cb, cb_tr, cl, cl_tr)
    linear = stage1.logits([corpus.texts[i] for i in te], corpus.chars[te])
    enc = _enc_heads(V_cb, V_cl, cb.labels, cl.labels, cb_tr, cl_tr, V[te])
    if plain is None:
        return kind, te, np.column_stack([linear, enc])
    # The same heads on the test rows without attribution frames (the frozen
    # encoder heads keep the original text: they are not in the shipped stack).
    other = plain[0] if kind == "cb" else plain[1]
    linear_plain = stage1.logits([other.texts[i] for i in te], other.chars[te])
    return kind, te, np.column_stack([linear, enc]), np.column_stack([linear_plain, enc])


HEAD_NAMES = ("claimbuster", "clef", "enc_cb", "enc_clef")


def out_of_fold(
    cb,
    cl,
    V_cb,
    V_cl,
    folds: Folds,
    n_jobs: int = 1,
    debates: set[str] | None = None,
    plain: tuple | None = None,
) -> tuple[np.ndarray, ...]:
    """Stage-1 logits (HEAD_NAMES columns) for every row from models that never saw it.

    With ``debates``, only those CLEF folds are fitted (other rows stay 0).
    With ``plain`` (the corpora without attribution frames), the same
    models' logits of those texts follow as two more arrays.
    """
    jobs = [(tr, cl_tr, "cb", te) for tr, te, cl_tr in folds.cb] if debates is None else []
    jobs += [
        (cb_tr, cl_tr, "cl", te)
        for debate, cb_tr, cl_tr, te in folds.cl
        if debates is None or debate in debates
    ]
    results = Parallel(n_jobs=n_jobs)(
        delayed(_job)(cb, cl, V_cb, V_cl, *j, plain=plain) for j in jobs
    )
    shape = len(HEAD_NAMES)
    cb_oof, cl_oof = np.zeros((len(cb.texts), shape)), np.zeros((len(cl.texts), shape))
    cb_plain, cl_plain = np.zeros_like(cb_oof), np.zeros_like(cl_oof)
    for kind, te, logits, *rest in results:
        (cb_oof if kind == "cb" else cl_oof)[te] = logits
        if rest:
            (cb_plain if kind == "cb" else cl_plain)[te] = rest[0]
    return (cb_oof, cl_oof) if plain is None else (cb_oof, cl_oof, cb_plain, cl_plain)


def stack_cv(cb, cl, cb_oof, cl_oof, folds: Folds) -> tuple[np.ndarray, np.ndarray]:
    """Stage-2 scores for every row; each fold's stacker sees none of its rows,
    and (leak-free folds) none of the held-out debate's ClaimBuster rows."""
    Zcb = T._context_rows(cb_oof, cb.hand, cb.groups, cb.order)
    Zcl = T._context_rows(cl_oof, cl.hand, cl.groups, cl.order)
    w_cl = T.CLEF_STACK_WEIGHT * len(cb.labels) / len(cl.labels)
    cb_scores, cl_scores = np.zeros(len(cb.labels)), np.zeros(len(cl.labels))

    def fit(cb_rows, cl_rows):
        Z = np.vstack([Zcb[cb_rows], Zcl[cl_rows]])
        y = np.concatenate([cb.labels[cb_rows], cl.labels[cl_rows]])
        w = np.concatenate([np.ones(len(cb_rows)), np.full(len(cl_rows), w_cl)])
        return T.fit_stage2(Z, y, w)

    for tr, te, cl_tr in folds.cb:
        cb_scores[te] = fit(tr, cl_tr).predict(Zcb[te])
    for _, cb_tr, cl_tr, te in folds.cl:
        cl_scores[te] = fit(cb_tr, cl_tr).predict(Zcl[te])
    return cb_scores, cl_scores


def tfidf_baseline(cb, cl, folds: Folds) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF word 1-2-grams + logistic regression, each corpus alone."""

    def fit_predict(tr_texts, tr_y, te_texts):
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
        model.fit(vec.fit_transform(tr_texts), tr_y)
        return model.decision_function(vec.transform(te_texts))

    cb_s, cl_s = np.zeros(len(cb.labels)), np.zeros(len(cl.labels))
    for tr, te, _ in folds.cb:
        cb_s[te] = fit_predict([cb.texts[i] for i in tr], cb.labels[tr], [cb.texts[i] for i in te])
    for _, _, cl_tr, te in folds.cl:
        cl_s[te] = fit_predict(
            [cl.texts[i] for i in cl_tr], cl.labels[cl_tr], [cl.texts[i] for i in te]
        )
    return cb_s, cl_s


def per_debate_ap(y: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    return {
        str(g): float(average_precision_score(y[groups == g], scores[groups == g]))
        for g in np.unique(groups)
        if y[groups == g].any()
    }


def summary(cb, cl, cb_scores, cl_scores, covered: set[str], probability: bool) -> dict:
    """F1/precision at the best cut, MAP over all debates and over those
    ClaimBuster does not cover."""
    aps = per_debate_ap(cl.labels, cl_scores, cl.groups)
    p = cb_scores if probability else 1 / (1 + np.exp(-cb_scores))
    cut, f1 = T.best_cut(cb.labels, p)
    return {
        "cb_f1_best": round(f1, 4),
        "cb_cut": cut,
        "cb_precision_at_cut": round(float(precision_score(cb.labels, p >= cut)), 4),
        "cb_ap": round(float(average_precision_score(cb.labels, cb_scores)), 4),
        "clef_map": round(float(np.mean(list(aps.values()))), 4),
        "clef_map_uncovered": round(
            float(np.mean([v for k, v in aps.items() if k not in covered])), 4
        ),
        "clef_ap_covered": {k: round(v, 3) for k, v in aps.items() if k in covered},
    }


def f1_at(y: np.ndarray, p: np.ndarray, cut: float) -> dict[str, float]:
    pred = p >= cut
    return {
        "f1": round(float(f1_score(y, pred)), 4),
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(pred[y == 1].mean()), 4),
    }


def _zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() or 1.0)


def cross_corpus(cb, cl, V_cb, V_cl, sources: np.ndarray) -> dict:
    """Held-out style: train on one corpus, test on the other, no shared debate.

    ClaimBuster -> CLEF: ClaimBuster rows of CLEF debates (and exact copies of
    CLEF lines) are left out. CLEF -> ClaimBuster: the debates ClaimBuster
    covers are left out. F1 on ClaimBuster is at the best cut for the test
    set itself (an upper bound), AP is cut-free.
    """
    cl_norms = {T._norm(t) for t in cl.texts}
    cb_tr = np.array(
        [i for i in range(len(cb.texts)) if not sources[i] and T._norm(cb.texts[i]) not in cl_norms]
    )
    covered = covered_debates(sources)
    cl_tr = np.flatnonzero(~np.isin(cl.groups, list(covered)))

    def models(tr_texts, tr_y, V_tr, te_texts, V_te, c_enc):
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
        lr.fit(vec.fit_transform(tr_texts), tr_y)
        tfidf = lr.decision_function(vec.transform(te_texts))
        enc = LogisticRegression(C=c_enc, class_weight="balanced", max_iter=3000).fit(V_tr, tr_y)
        dense = enc.decision_function(V_te)
        return {
            "tfidf_lr": tfidf,
            "encoder_lr": dense,
            "mean_of_both": _zscore(tfidf) + _zscore(dense),
        }

    out: dict = {"cb_to_clef": {}, "clef_to_cb": {}}
    scores = models(
        [cb.texts[i] for i in cb_tr], cb.labels[cb_tr], V_cb[cb_tr], cl.texts, V_cl, ENC_C["cb"]
    )
    for name, s in scores.items():
        out["cb_to_clef"][name] = round(
            float(np.mean(list(per_debate_ap(cl.labels, s, cl.groups).values()))), 4
        )
    scores = models(
        [cl.texts[i] for i in cl_tr], cl.labels[cl_tr], V_cl[cl_tr], cb.texts, V_cb, ENC_C["clef"]
    )
    for name, s in scores.items():
        p = 1 / (1 + np.exp(-_zscore(s)))
        out["clef_to_cb"][name] = {
            "ap": round(float(average_precision_score(cb.labels, s)), 4),
            "f1_best_cut": round(T.best_cut(cb.labels, p)[1], 4),
        }
    out["rows"] = {"cb_train": len(cb_tr), "clef_train": len(cl_tr)}
    return out


def vectors(cb: T.Corpus, cl: T.Corpus, cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """The shared encoder's sentence vectors of every training row (cached:
    ~7 minutes of encoding on one busy core)."""
    from claims.encoder import MODEL_VERSION, get_encoder

    path = cache / "vectors.npz"
    texts = cb.texts + cl.texts
    if path.exists():
        with np.load(path) as z:
            if str(z["version"][0]) == MODEL_VERSION and len(z["vectors"]) == len(texts):
                V = z["vectors"]
                return V[: len(cb.texts)], V[len(cb.texts) :]
    V = get_encoder().encode(texts)
    np.savez(path, vectors=V, version=np.array([MODEL_VERSION]), n_cb=np.array([len(cb.texts)]))
    return V[: len(cb.texts)], V[len(cb.texts) :]


def cached(path: Path, make) -> tuple[np.ndarray, ...]:
    """Arrays from ``path`` if it exists, else ``make()`` saved there."""
    if path.exists():
        with np.load(path) as z:
            return tuple(z[f"a{i}"] for i in range(len(z.files)))
    arrays = make()
    np.savez(path, **{f"a{i}": a for i, a in enumerate(arrays)})
    return arrays


@dataclass
class Prepared:
    cb: T.Corpus
    cl: T.Corpus
    sources: np.ndarray
    covered: set[str]
    V_cb: np.ndarray
    V_cl: np.ndarray
    clean: Folds
    shipped: Folds
    cb_logits: np.ndarray  # out of fold, columns LOGIT_NAMES, texts without attribution
    cl_logits: np.ndarray
    cb_logits_raw: np.ndarray  # the same, texts as written
    cl_logits_raw: np.ndarray


LOGIT_NAMES = (*HEAD_NAMES, "student", "finetuned")
FINETUNED_OOF_PATH = T.TEACHER_PATH.with_name("checkworthiness_finetuned_oof.npz")


def finetuned_logits(cb: T.Corpus, path: Path = FINETUNED_OOF_PATH) -> tuple[np.ndarray, ...]:
    """Out-of-fold logits of the fine-tuned MiniLM (the best scorer's encoder,
    same recipe; scripts/build_checkworthiness_encoder.py): each ClaimBuster row
    from the fold model that never saw it, each CLEF line the mean of the fold
    models (trained on ClaimBuster only); then the same for the texts without
    attribution frames."""
    with np.load(path, allow_pickle=False) as z:
        if len(z["cb"]) != len(cb.texts) or not (z["folds"] == T.fold_index(cb)).all():
            raise ValueError(f"{path} was made from other training data or other folds")
        return tuple(z[k].astype(np.float64) for k in ("cb", "cl", "cb_plain", "cl_plain"))


def plain_corpus(corpus: T.Corpus) -> T.Corpus:
    """The same rows as the app's scorers read them: without attribution frames."""
    from .attribution import strip_all

    plain = T.Corpus(strip_all(corpus.texts), corpus.labels, corpus.groups, corpus.order)
    plain.featurise()
    return plain


def prepare(data_dir: Path, cache: Path, n_jobs: int = 1) -> Prepared:
    """Everything both scripts need; the slow parts are cached in ``cache``.

    ``cb_logits``/``cl_logits`` are the heads' out-of-fold logits of the texts
    as the app scores them (without attribution frames); ``*_raw`` of the
    texts as written."""
    from . import distillation as D

    cache.mkdir(parents=True, exist_ok=True)
    cb, cl = T.load(data_dir)
    cb.featurise()
    cl.featurise()
    plain = (plain_corpus(cb), plain_corpus(cl))
    sources = claimbuster_sources(cb, cl)
    V_cb, V_cl = vectors(cb, cl, cache)
    clean, shipped = make_folds(cb, cl, sources), make_folds(cb, cl, None)
    cb_oof, cl_oof, cb_oof_plain, cl_oof_plain = cached(
        cache / "oof_clean_plain.npz",
        lambda: out_of_fold(cb, cl, V_cb, V_cl, clean, n_jobs, plain=plain),
    )

    def make_student():
        teacher = D.Teacher.load(T.TEACHER_PATH, cb.texts, cl.texts)
        texts = (plain[0].texts, plain[1].texts)
        st_cb, st_cl, _, st_cb_plain, st_cl_plain = T.student_logits(
            cb, cl, teacher, n_jobs, plain=texts
        )
        return st_cb, st_cl, st_cb_plain, st_cl_plain

    st_cb, st_cl, st_cb_plain, st_cl_plain = cached(cache / "student_plain.npz", make_student)
    ft_cb, ft_cl, ft_cb_plain, ft_cl_plain = finetuned_logits(cb)
    return Prepared(
        cb,
        cl,
        sources,
        covered_debates(sources),
        V_cb,
        V_cl,
        clean,
        shipped,
        np.column_stack([cb_oof_plain, st_cb_plain, ft_cb_plain]),
        np.column_stack([cl_oof_plain, st_cl_plain, ft_cl_plain]),
        np.column_stack([cb_oof, st_cb, ft_cb]),
        np.column_stack([cl_oof, st_cl, ft_cl]),
    )


def subset_spread(
    aps: dict[str, float],
    other: dict[str, float] | None = None,
    k: int = 7,
    draws: int = 5000,
    seed: int = T.SEED,
) -> dict[str, float]:
    """MAP over random sets of ``k`` debates (the held-out CLEF-2019 test has 7):
    how far one such figure can fall from the mean by the choice of debates
    alone. With ``other``, the spread of the paired difference too."""
    rng = np.random.default_rng(seed)
    names = sorted(aps)
    a = np.array([aps[n] for n in names])
    picks = np.array([rng.choice(len(names), size=k, replace=False) for _ in range(draws)])
    out = {
        f"map{k}_p05": float(np.percentile(a[picks].mean(1), 5)),
        f"map{k}_p95": float(np.percentile(a[picks].mean(1), 95)),
    }
    if other is not None:
        d = a - np.array([other[n] for n in names])
        out.update(
            {
                "mean_difference": float(d.mean()),
                "debates_better": int((d > 0).sum()),
                f"difference{k}_p05": float(np.percentile(d[picks].mean(1), 5)),
                f"difference{k}_p95": float(np.percentile(d[picks].mean(1), 95)),
            }
        )
    return {key: round(v, 4) for key, v in out.items()}


def cross_debate_near_copies(cl: T.Corpus, V_cl: np.ndarray, threshold: float = 0.8) -> dict:
    """Check-worthy CLEF lines with a near copy (encoder cosine >= threshold)
    in another debate: the talking points a LODO fold can learn from the
    other debates."""
    pos = np.flatnonzero(cl.labels == 1)
    sims = V_cl[pos] @ V_cl.T
    sims[cl.groups[pos][:, None] == cl.groups[None, :]] = -1.0
    best = sims.argmax(axis=1)
    near = sims[np.arange(len(pos)), best] >= threshold
    norms: dict[str, set] = {}
    for text, group in zip(cl.texts, cl.groups, strict=True):
        norms.setdefault(T._norm(text), set()).add(group)
    exact = sum(len(norms[T._norm(cl.texts[i])]) > 1 for i in pos)
    return {
        "positives": len(pos),
        "with_exact_copy_elsewhere": int(exact),
        f"with_near_copy_cos_{threshold}": int(near.sum()),
        "of_which_copy_is_positive": int(cl.labels[best[near]].sum()),
    }
