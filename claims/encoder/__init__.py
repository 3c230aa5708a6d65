"""The sentence encoder shared by the app's learned parts (no Django here).

One ONNX model of MiniLM-L6 (mean-pooled, L2-normalised, 384 numbers per
text) and its HF ``tokenizers`` file, shipped in ``claims/encoder/model/``
and written by ``scripts/build_matching_encoder.py``. It runs on CPU with
onnxruntime; nothing is fetched at run time. The model is loaded on first
use, once per process, behind a lock, so matching and any later task head
(check-worthiness, for example) share one copy in memory.

    from claims.encoder import get_encoder, MODEL_VERSION

    vectors = get_encoder().encode(["a sentence", "another"])  # (2, 384) float32
    MODEL_VERSION  # changes whenever the model file changes

``MODEL_VERSION`` is read from the model's manifest without loading the
model: store it next to any vector you keep, and re-encode when it differs.

Threads: onnxruntime's intra-op thread count is ``FACTCHECK_ENCODER_THREADS``
(default: onnxruntime's own choice, one per core). Set it to 1 in web
workers that already run one request per core.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["DIM", "MODEL_DIR", "MODEL_VERSION", "Encoder", "get_encoder"]

MODEL_DIR = Path(__file__).resolve().parent / "model"


def read_manifest(model_dir: Path) -> dict:
    return json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))


_MANIFEST = read_manifest(MODEL_DIR)
MODEL_VERSION: str = _MANIFEST["version"]
DIM: int = int(_MANIFEST["dim"])


class Encoder:
    """A loaded model. Use :func:`get_encoder` rather than building one."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        manifest = read_manifest(model_dir)
        self.version: str = manifest["version"]
        self.dim = int(manifest["dim"])
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=int(manifest["max_tokens"]))
        padding = "[PAD]"  # BERT's padding token  # noqa: S105
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id(padding) or 0, pad_token=padding)
        self._tokenizer = tokenizer
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_dir / manifest["file"]), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors of ``texts``, shape (len(texts), dim), float32.

        One text per model run: the int8 model quantises its activations
        with one scale per run, so batching would make a text's vector
        depend on the texts beside it (cosine 0.985-0.999 apart). One at a
        time, a text always gets the same vector, and no padding is wasted.
        An empty text gets the vector of the special tokens alone.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._run([text])[0]
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        }
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        (vectors,) = self._session.run(None, feed)
        return vectors


_encoder: Encoder | None = None
_lock = threading.Lock()


def get_encoder() -> Encoder:
    """The process's encoder, loaded on first call (thread-safe)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                threads = os.environ.get("FACTCHECK_ENCODER_THREADS")
                _encoder = Encoder(threads=int(threads) if threads else None)
    return _encoder
