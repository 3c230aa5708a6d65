"""The shared encoder: loaded once, unit vectors, batching does not change results."""

from __future__ import annotations

import threading

import numpy as np

from claims.encoder import DIM, MODEL_VERSION, get_encoder


def test_one_encoder_per_process_even_across_threads():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(get_encoder())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in seen}) == 1
    assert seen[0].version == MODEL_VERSION


def test_vectors_are_unit_length_float32_in_input_order():
    texts = [
        "a short one",
        "a much longer sentence about the city's road repair budget in 2023",
        "",
    ]
    vectors = get_encoder().encode(texts)
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    alone = np.vstack([get_encoder().encode([t]) for t in texts])
    assert np.allclose(vectors, alone, atol=1e-4)  # padding in a batch changes nothing
    assert get_encoder().encode([]).shape == (0, DIM)
