"""Small trained heads on the sentence embeddings: a linear layer plus softmax, numpy only at run time.

The heads are trained by ``scripts/train_heads.py`` (scikit-learn logistic regression) and ship as
``enrich/models/sentiment.npz``, ``enrich/models/department.npz`` and ``enrich/models/risk.npz``: ``weights``
(k, d) float32, ``bias`` (k,) float32 and ``labels`` (k,) unicode. See ``enrich/MODEL_CARD.md`` for data and
scores. A head is tied to the encoder it was trained on (``encoder`` in the file): swapping the encoder means
retraining the heads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from socialcare.errors import ConfigError

MODELS_DIR = Path(__file__).resolve().parent / "models"
FloatArray = npt.NDArray[np.float32]


class LinearHead:
    """``softmax(X @ weights.T + bias)`` over ``labels``."""

    def __init__(
        self, labels: tuple[str, ...], weights: npt.ArrayLike, bias: npt.ArrayLike, *, encoder: str = ""
    ) -> None:
        self.labels = tuple(labels)
        self.weights: FloatArray = np.asarray(weights, dtype=np.float32)
        self.bias: FloatArray = np.asarray(bias, dtype=np.float32).reshape(-1)
        self.encoder = encoder
        k = len(self.labels)
        if self.weights.ndim != 2 or self.weights.shape[0] != k or self.bias.shape != (k,):
            raise ValueError(f"head shapes disagree: {k} labels, weights {self.weights.shape}, bias {self.bias.shape}")

    @property
    def dimensions(self) -> int:
        return int(self.weights.shape[1])

    def logits(self, embeddings: npt.ArrayLike) -> FloatArray:
        x = np.asarray(embeddings, dtype=np.float32)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.shape[1] != self.dimensions:
            raise ValueError(f"embeddings have {x.shape[1]} dimensions, the head expects {self.dimensions}")
        out: FloatArray = x @ self.weights.T + self.bias
        return out

    def proba(self, embeddings: npt.ArrayLike) -> FloatArray:
        """(n, k) probabilities; every row sums to 1."""
        z = self.logits(embeddings)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, embeddings: npt.ArrayLike) -> list[str]:
        return [self.labels[i] for i in self.proba(embeddings).argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            Path(path),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            labels=np.array(self.labels, dtype=np.str_),
            encoder=np.array(self.encoder, dtype=np.str_),
        )

    @classmethod
    def load(cls, path: str | Path) -> LinearHead:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"no trained head at {path}: run `python scripts/train_heads.py`")
        with np.load(path, allow_pickle=False) as data:
            labels = tuple(str(label) for label in data["labels"].tolist())
            encoder = str(data["encoder"]) if "encoder" in data.files else ""
            return cls(labels, data["weights"], data["bias"], encoder=encoder)


@dataclass(frozen=True)
class Heads:
    sentiment: LinearHead
    department: LinearHead
    risk: LinearHead | None = None
    """``other`` / ``high``: how much a post reads like those our reviewers marked high risk (an input of
    :func:`enrich.risk.assess_risk`); ``None`` for a folder of heads trained without it."""

    def high_risk(self, embeddings: npt.ArrayLike) -> FloatArray | None:
        """Per row, the risk head's probability of ``high`` (``None`` without a risk head)."""
        if self.risk is None:
            return None
        out: FloatArray = self.risk.proba(embeddings)[:, self.risk.labels.index("high")]
        return out


def load_heads(folder: str | Path | None = None) -> Heads:
    """The shipped heads (``enrich/models``), or those in ``folder`` (where ``risk.npz`` may be absent)."""
    base = Path(folder) if folder is not None else MODELS_DIR
    risk = base / "risk.npz"
    return Heads(
        sentiment=LinearHead.load(base / "sentiment.npz"),
        department=LinearHead.load(base / "department.npz"),
        risk=LinearHead.load(risk) if folder is None or risk.is_file() else None,
    )
