"""The numpy scorer must reproduce exactly what training fitted (scikit-learn)."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from claims.extraction import features as F
from claims.extraction import training as T
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
        texts.append(template.format(n=int(rng.integers(2, 900)), y=int(rng.integers(1990, 2020)), name=NAMES[i % 4]))
        labels.append(int(positive))
    c = T.Corpus(texts, np.array(labels), np.array([group] * n), np.arange(n))
    c.featurise()
    return c


def test_exported_model_matches_training(tmp_path):
    cb, cl = corpus(90, 1, "cb"), corpus(60, 2, "debate")
    stage1 = T.fit_stage1(cb, np.arange(90), cl, np.arange(60))
    logits = stage1.logits(cb.texts, cb.chars)
    Z = F.context_matrix(logits, cb.hand)
    stage2 = T.fit_stage2(Z, cb.labels, np.ones(90))
    path = tmp_path / "model.npz"
    np.savez_compressed(path, **T.export(stage1, stage2, 0.5, {"note": "test"}))
    model = Model(path)
    np.testing.assert_allclose(model.score(cb.texts), stage2.predict(Z), atol=1e-4)
    assert model.cut == 0.5 and model.metrics == {"note": "test"}
    # And it learned something: claims outrank chatter.
    scores = model.score(["Exports fell 12 percent in 2015.", "Thank you, folks."])
    assert scores[0] > scores[1]


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
