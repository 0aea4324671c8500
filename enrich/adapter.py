"""The encoder adapter: low-rank (LoRA) updates to MiniLM's linear layers, tuned for sentiment and routing.

all-MiniLM-L6-v2 was trained for semantic similarity, so a head on its frozen embeddings reads sentiment of
mixed-topic tweets poorly (TweetEval macro-recall 0.57). ``scripts/train_adapter.py`` tunes a rank-``r``
update ``W + (alpha / r) * B @ A`` for every linear layer of the six transformer blocks, on the sentiment
corpora and the routing labels, and saves only ``A`` and ``B`` (a few hundred KB, float16) as
``enrich/models/encoder_adapter.npz``. Loading merges them into the weights once, so inference costs nothing
extra and the ONNX export sees an ordinary BERT. The heads are trained on the adapted embeddings
(``scripts/train_heads.py``); see enrich/MODEL_CARD.md.

The adapter belongs to the packaged encoder: with ``SOCIALCARE_MODEL_PATH`` pointing at another model it is
not applied (that model's heads must be retrained anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from socialcare.errors import ConfigError

ADAPTER_FILE = Path(__file__).resolve().parent / "models" / "encoder_adapter.npz"
BASE_ENCODER = "all-MiniLM-L6-v2"
TARGET_SUFFIXES = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The linear layers of each transformer block that carry an update (every one of them)."""


def adapter_digest(path: Path = ADAPTER_FILE) -> str:
    """First 8 hex digits of the file's sha256: names the embedding space the heads were trained in."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def encoder_name(adapter: Path | None) -> str:
    """``all-MiniLM-L6-v2`` bare, or ``all-MiniLM-L6-v2+lora-<digest>`` with an adapter."""
    return f"{BASE_ENCODER}+lora-{adapter_digest(adapter)}" if adapter else BASE_ENCODER


def default_adapter() -> Path | None:
    """The shipped adapter, if the package has one."""
    return ADAPTER_FILE if ADAPTER_FILE.is_file() else None


def target_modules(model: Any) -> dict[str, Any]:
    """The adapted ``torch.nn.Linear`` layers of a BERT ``AutoModel``, by their state-dict name."""
    import torch

    return {
        name: module
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and name.startswith("encoder.layer.") and name.endswith(TARGET_SUFFIXES)
    }


def save_adapter(path: Path, updates: Mapping[str, tuple[npt.ArrayLike, npt.ArrayLike]], *, alpha: float) -> None:
    """Write ``{name: (A (r, in), B (out, r))}`` as float16 with the scaling ``alpha``."""
    arrays: dict[str, Any] = {"alpha": np.array(alpha, dtype=np.float32), "base": np.array(BASE_ENCODER)}
    for name, (a, b) in updates.items():
        arrays[f"{name}.A"] = np.asarray(a, dtype=np.float16)
        arrays[f"{name}.B"] = np.asarray(b, dtype=np.float16)
    np.savez_compressed(path, **arrays)


def load_updates(path: Path) -> tuple[dict[str, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]], float]:
    """The ``(A, B)`` pairs of an adapter file and its ``alpha``."""
    with np.load(path, allow_pickle=False) as data:
        if str(data["base"]) != BASE_ENCODER:
            base = str(data["base"])
            raise ConfigError(f"{path} adapts {base}, not {BASE_ENCODER}: retrain it (scripts/train_adapter.py)")
        alpha = float(data["alpha"])
        names = sorted({key[:-2] for key in data.files if key.endswith((".A", ".B"))})
        updates = {n: (data[f"{n}.A"].astype(np.float32), data[f"{n}.B"].astype(np.float32)) for n in names}
    return updates, alpha


def apply_adapter(model: Any, path: Path) -> Any:
    """Merge the adapter into ``model``'s weights in place (``W += alpha / r * B @ A``); returns ``model``."""
    import torch

    updates, alpha = load_updates(path)
    modules = target_modules(model)
    unknown = sorted(set(updates) - set(modules))
    if unknown or not updates:
        raise ConfigError(f"{path} does not fit this encoder (unknown layers: {unknown[:3]}): retrain it")
    with torch.no_grad():
        for name, (a, b) in updates.items():
            weight = modules[name].weight
            if a.shape[1] != weight.shape[1] or b.shape[0] != weight.shape[0] or a.shape[0] != b.shape[1]:
                raise ConfigError(f"{path}: layer {name} has shape {tuple(weight.shape)}, the update does not fit")
            weight += torch.from_numpy((alpha / a.shape[0]) * (b @ a)).to(weight.dtype)
    return model


def load_encoder_model(model_path: Path, adapter: Path | None) -> Any:
    """transformers ``AutoModel`` from a local folder, in eval mode, with the adapter merged when given."""
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()
    return apply_adapter(model, adapter) if adapter else model
