"""The numpy scorer must reproduce exactly what training fitted (scikit-learn)."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from claims.extraction import distillation as D
from claims.extraction import features as F
from claims.extraction import training as T
from claims.extraction.embedding import sentence_means
from claims.extraction.scoring import Model

CLAIMS = [
    "Unemployment fell to {n} percent in {y}.",
    "The deficit grew by ${n} billion last year.",
    "We have cut taxes for {n} million families since {y}.",
    "Crime rose {n}% in the city after the law changed.",
]
CHATTER = [
    "Thank you all for being here tonight.",
    "I think that is a great question, {name}.",
    "Let me say something about that.",
    "Well, you know, {name}, we will see.",
]
NAMES = ["John", "Mary", "Senator", "folks"]


def corpus(n: int, seed: int, group: str) -> T.Corpus:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        positive = i % 3 == 0
        template = (CLAIMS if positive else CHATTER)[i % 4]
        texts.append(
            template.format(
                n=int(rng.integers(2, 900)), y=int(rng.integers(1990, 2020)), name=NAMES[i % 4]
            )
        )
        labels.append(int(positive))
    c = T.Corpus(texts, np.array(labels), np.array([group] * n), np.arange(n))
    c.featurise()
    return c


def synthetic_teacher(cb: T.Corpus, cl: T.Corpus, dim: int = 96) -> D.Teacher:
    texts = cb.texts + cl.texts
    words = sorted({t for toks in F.token_lists(texts) for t in toks})
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(len(words), dim))
    doc_freq = np.array(
        [sum(w in toks for toks in F.token_lists(texts)) for w in words], dtype=float
    )
    labels = np.concatenate([cb.labels, cl.labels]) * 4.0 - 2.0  # a "teacher" that knows the answer
    return D.Teacher(
        words,
        vectors,
        doc_freq,
        np.zeros(len(cb.texts), dtype=int),
        np.tile(labels[: len(cb.texts)], (6, 1)),
        np.tile(labels[len(cb.texts) :], (6, 1)),
    )


def test_exported_model_matches_training(tmp_path):
    cb, cl = corpus(90, 1, "cb"), corpus(60, 2, "debate")
    stage1 = T.fit_stage1(cb, np.arange(90), cl, np.arange(60))
    teacher = synthetic_teacher(cb, cl)
    weights, vectors = teacher.rows_for(stage1.vocab)
    table = D.table(weights, vectors)
    S = D.sentence_matrix(cb.texts + cl.texts, stage1.vocab, table)
    fitted = D.fit_student(
        S, np.concatenate([teacher.cb_logits[D.FINAL], teacher.cl_logits[D.FINAL]])
    )
    student = T.Student(fitted, stage1.vocab, table, fitted.export(weights, vectors))
    logits = np.column_stack([stage1.logits(cb.texts, cb.chars), student.logits(cb.texts)])
    Z = F.context_matrix(logits, cb.hand)
    stage2 = T.fit_stage2(Z, cb.labels, np.ones(90))
    path = tmp_path / "model.npz"
    np.savez_compressed(path, **T.export(stage1, student, stage2, 0.5, {"note": "test"}))
    model = Model(path)
    np.testing.assert_allclose(model.score(cb.texts), stage2.predict(Z), atol=1e-4)
    np.testing.assert_allclose(
        model.student.logits(model.encode(cb.texts)), logits[:, 2], atol=1e-3
    )
    assert model.cut == 0.5 and model.metrics == {"note": "test"}
    # And it learned something: claims outrank chatter.
    scores = model.score(["Exports fell 12 percent in 2015.", "Thank you, folks."])
    assert scores[0] > scores[1]


def test_the_student_is_cut_to_low_rank_exactly_as_shipped():
    cb, cl = corpus(90, 1, "cb"), corpus(60, 2, "debate")
    teacher = synthetic_teacher(cb, cl)
    vocab = F.Vocab.build(cb.tokens + cl.tokens, 1)
    S = D.sentence_matrix(cb.texts, vocab, D.table(*teacher.rows_for(vocab)))
    fitted = D.fit_student(S, teacher.cb_logits[D.FINAL])
    assert fitted.project.shape == (96, D.RANK) and fitted.weights[0].shape[0] == D.RANK
    # It imitates the teacher: positives get the higher logits.
    out = fitted.logits(S)
    assert out[cb.labels == 1].mean() > out[cb.labels == 0].mean() + 1


def test_sentence_means_weight_known_words_and_skip_the_rest():
    vocab = F.Vocab.from_terms(["cut", "tax"], np.zeros(0, dtype=np.int64))
    weights = np.array([1.0, 2.0])  # cut, tax
    vectors = np.array([[0.0, 3.0], [1.0, 0.0]])
    table = D.table(weights, vectors)
    sentences = ["Tax cut!", "", "Nothing known here", "cut cut"]
    means = sentence_means(F.encode(sentences, vocab).ids, table)
    np.testing.assert_allclose(means, [[2 / 3, 1.0], [0, 0], [0, 0], [0, 3.0]])
    alone = np.vstack([sentence_means(F.encode([s], vocab).ids, table) for s in sentences])
    np.testing.assert_allclose(alone, means)


def test_teacher_file_must_match_the_training_data(tmp_path):
    path = tmp_path / "teacher.npz"
    np.savez(path, digest=np.frombuffer(D.corpus_digest(["a"], ["b"]).encode(), dtype=np.uint8))
    with pytest.raises(ValueError, match="other training data"):
        D.Teacher.load(path, ["a", "changed"], ["b"])


def test_featurisation_is_batch_independent():
    sentences = ["Prices rose 3.5% in 2019.", "", "Thank you!", "Jobs: 4,000,000 new ones.\nOK"]
    vocab = F.Vocab.build(F.token_lists(sentences), 1)
    together = F.hand_features(F.encode(sentences, vocab), vocab)
    alone = np.vstack([F.hand_features(F.encode([s], vocab), vocab) for s in sentences])
    np.testing.assert_array_equal(together, alone)
    rows, ids = F.char_occurrences(F.prepare(sentences))
    for i, s in enumerate(sentences):
        _r1, i1 = F.char_occurrences(F.prepare([s]))
        assert sorted(ids[rows == i].tolist()) == sorted(i1.tolist())


def test_numbers_keep_only_their_shape():
    assert F.token_lists(["It cost $3.5 million in 2019, up 4%."]) == [
        ["it", "cost", "$0", "0", "million", "in", "0000", "up", "0%"]
    ]


def test_a_model_without_a_distilled_head_still_scores(tmp_path):
    """Format-2 artifacts (two linear heads only) load and score as trained."""
    cb, cl = corpus(90, 1, "cb"), corpus(60, 2, "debate")
    stage1 = T.fit_stage1(cb, np.arange(90), cl, np.arange(60))
    Z = F.context_matrix(stage1.logits(cb.texts, cb.chars), cb.hand)
    stage2 = T.fit_stage2(Z, cb.labels, np.ones(90))
    no_student = T.Student(None, stage1.vocab, None, {})
    path = tmp_path / "model.npz"
    np.savez_compressed(path, **T.export(stage1, no_student, stage2, 0.5, {}))
    model = Model(path)
    assert model.student is None
    np.testing.assert_allclose(model.score(cb.texts), stage2.predict(Z), atol=1e-4)
