"""TF-IDF cosine over words, as an inverted index in numpy.

Words are lower-cased runs of two or more letters or digits; term frequency
is sublinear (1 + log tf), idf is smoothed (log((1 + n) / (1 + df)) + 1) and
every document vector has unit length, so a query's score against each
document is a cosine in 0..1. Unigrams without a stop-word list measured
best when fused with the dense cosine (docs/matching.md).

The postings are stored by term (CSR layout): a query touches only the
documents that share one of its words, and one ``np.bincount`` adds them up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\b\w\w+\b")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class LexicalIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        vocabulary: dict[str, int] = {}
        doc_ids: list[int] = []
        term_ids: list[int] = []
        counts: list[int] = []
        for doc, text in enumerate(texts):
            for word, count in Counter(words(text)).items():
                term_ids.append(vocabulary.setdefault(word, len(vocabulary)))
                doc_ids.append(doc)
                counts.append(count)
        terms = np.asarray(term_ids, dtype=np.int64)
        docs = np.asarray(doc_ids, dtype=np.int64)
        tf = 1.0 + np.log(np.asarray(counts, dtype=np.float64))
        doc_freq = np.bincount(terms, minlength=len(vocabulary))
        self.idf = (np.log((1.0 + self.size) / (1.0 + doc_freq)) + 1.0).astype(np.float32)
        weights = tf * self.idf[terms]
        norms = np.sqrt(np.bincount(docs, weights=weights * weights, minlength=self.size))
        weights /= np.where(norms > 0, norms, 1.0)[docs]
        order = np.argsort(terms, kind="stable")
        self.vocabulary = vocabulary
        self.postings_doc = docs[order].astype(np.int32)
        self.postings_weight = weights[order].astype(np.float32)
        self.starts = np.concatenate([[0], np.cumsum(doc_freq)]).astype(np.int64)

    def scores(self, query: str) -> np.ndarray:
        """Cosine of ``query`` with every document (float32, 0 where no word is shared)."""
        found = [
            (self.vocabulary[word], count)
            for word, count in Counter(words(query)).items()
            if word in self.vocabulary
        ]
        if not found or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        query_weights = [(1.0 + math.log(count)) * float(self.idf[t]) for t, count in found]
        norm = math.sqrt(sum(w * w for w in query_weights))
        docs = []
        weights = []
        for (term, _), weight in zip(found, query_weights, strict=True):
            start, end = self.starts[term], self.starts[term + 1]
            docs.append(self.postings_doc[start:end])
            weights.append(self.postings_weight[start:end] * np.float32(weight / norm))
        summed = np.bincount(
            np.concatenate(docs), weights=np.concatenate(weights), minlength=self.size
        )
        return summed.astype(np.float32)
