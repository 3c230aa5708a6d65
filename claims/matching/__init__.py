""" "Checked before": find earlier fact-checks that match a claim (no Django here).

A :class:`MatchIndex` holds archive texts (a fact-check's claim and
headline, say) with one unit-length vector each from the shared sentence
encoder (:mod:`claims.encoder`) and a TF-IDF word index. A search scores
every text by ``(max(cos(H(q), d), 0) + w * tfidf_cos) / (1 + w)``, where
``H`` is the matcher's learned query map and ``w`` its lexical weight
(:mod:`claims.matching.adapter`, shipped in ``adapter.npz``), and returns
the best ``k``. Tweets and social posts are cleaned first (links, @/# marks,
the "— Name (@handle) date" byline: :func:`clean_text`). Quality and speed:
docs/matching.md and docs/performance.md.

Public API::

    from claims.matching import MatchIndex, Match, encode_texts, MODEL_VERSION

    index = MatchIndex.build(texts)            # encodes texts (milliseconds each)
    index.search("a claim", k=5)               # -> [Match(position=12, score=0.83), ...]
    index.search("a claim", k=5, min_score=0.6)  # only matches scoring >= 0.6

    # Keeping vectors in a database so a restart does not re-encode:
    vectors = encode_texts(texts)              # (n, 384) float32, unit length
    blobs = vectors_to_bytes(vectors)          # one bytes value per text
    ... store blobs with MODEL_VERSION; re-encode rows whose version differs ...
    # (MODEL_VERSION names the encoder only: retraining the head keeps stored vectors valid.)
    index = MatchIndex.from_vectors(texts, vectors_from_bytes(blobs))

``Match.position`` indexes ``texts``; ``Match.score`` is in 0..1, higher is
closer, and results are sorted best first. Because the query is mapped by
the head, even an identical text scores below 1 (about 0.85-0.95): pick a
display cut from measured scores, not from 1.0. An empty index, a query without
words, or ``k < 1`` return ``[]``. An index is immutable: when the archive
changes, build a new one (from stored vectors: under a second per
10,000 texts, docs/performance.md) and swap it in.

The model loads on the first encode, once per process. Encoding takes CPU
time (a few milliseconds a sentence): do it in background tasks, not in a
request.
"""

from __future__ import annotations

from claims.encoder import DIM, MODEL_VERSION

from .index import Match, MatchIndex, encode_texts, vectors_from_bytes, vectors_to_bytes
from .text import clean_text

__all__ = [
    "DIM",
    "MODEL_VERSION",
    "Match",
    "MatchIndex",
    "clean_text",
    "encode_texts",
    "vectors_from_bytes",
    "vectors_to_bytes",
]
