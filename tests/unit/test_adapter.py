from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from enrich.adapter import (
    BASE_ENCODER,
    apply_adapter,
    default_adapter,
    encoder_name,
    load_encoder_model,
    load_updates,
    save_adapter,
    target_modules,
)
from enrich.heads import load_heads
from socialcare.errors import ConfigError

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    """A two-layer BERT with random weights, saved as a local model folder."""
    torch.manual_seed(3)
    config = transformers.BertConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32
    )
    folder = tmp_path / "tiny-bert"
    transformers.BertModel(config).save_pretrained(folder)
    return folder


def _updates(model: Any, rank: int = 2) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    return {
        name: (rng.normal(size=(rank, m.in_features)), rng.normal(size=(m.out_features, rank)))
        for name, m in target_modules(model).items()
    }


def test_every_linear_layer_of_every_block_is_a_target(tiny_model: Path) -> None:
    names = set(target_modules(load_encoder_model(tiny_model, None)))
    assert len(names) == 2 * 6
    assert "encoder.layer.1.attention.self.query" in names
    assert "encoder.layer.0.attention.output.dense" in names
    assert "encoder.layer.1.output.dense" in names
    assert not any(n.startswith(("embeddings", "pooler")) for n in names)


def test_adapter_merges_alpha_over_rank_times_b_a(tiny_model: Path, tmp_path: Path) -> None:
    bare = load_encoder_model(tiny_model, None)
    updates = _updates(bare)
    path = tmp_path / "adapter.npz"
    save_adapter(path, updates, alpha=4.0)
    stored, alpha = load_updates(path)
    assert alpha == 4.0 and set(stored) == set(updates)
    adapted = load_encoder_model(tiny_model, path)
    before, after = target_modules(bare), target_modules(adapted)
    for name, (a, b) in stored.items():  # float16 on disk: compare with what was stored
        expected = before[name].weight.detach().numpy() + (4.0 / 2) * (b @ a)
        assert np.allclose(after[name].weight.detach().numpy(), expected, atol=1e-5)
    # layers without an update (embeddings, layer norms) are untouched
    assert torch.equal(bare.embeddings.word_embeddings.weight, adapted.embeddings.word_embeddings.weight)


def test_an_adapter_for_another_shape_or_model_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    model = load_encoder_model(tiny_model, None)
    wrong_shape = {n: (a[:, :-1], b) for n, (a, b) in _updates(model).items()}
    save_adapter(tmp_path / "shape.npz", wrong_shape, alpha=1.0)
    with pytest.raises(ConfigError, match="does not fit"):
        apply_adapter(model, tmp_path / "shape.npz")
    stray = {"encoder.layer.9.output.dense": (np.ones((1, 32)), np.ones((16, 1)))}
    save_adapter(tmp_path / "names.npz", stray, alpha=1)
    with pytest.raises(ConfigError, match="unknown layers"):
        apply_adapter(model, tmp_path / "names.npz")
    np.savez(tmp_path / "base.npz", alpha=np.float32(1), base=np.array("another-model"))
    with pytest.raises(ConfigError, match="retrain"):
        apply_adapter(model, tmp_path / "base.npz")


def test_the_onnx_cache_key_changes_with_the_adapter(tiny_model: Path, tmp_path: Path) -> None:
    from enrich.encoder import model_fingerprint

    model = load_encoder_model(tiny_model, None)
    save_adapter(tmp_path / "one.npz", _updates(model), alpha=1.0)
    save_adapter(tmp_path / "two.npz", _updates(model), alpha=2.0)
    keys = {model_fingerprint(tiny_model), model_fingerprint(tiny_model, tmp_path / "one.npz"),
            model_fingerprint(tiny_model, tmp_path / "two.npz")}  # fmt: skip
    assert len(keys) == 3


def test_shipped_heads_were_trained_on_the_shipped_adapter() -> None:
    """A new adapter without retrained heads would give meaningless scores: the digests must agree."""
    adapter = default_adapter()
    assert adapter is not None, "enrich/models/encoder_adapter.npz is missing"
    assert adapter.stat().st_size < 1_500_000
    heads = load_heads()
    assert heads.risk is not None
    assert heads.sentiment.encoder == heads.department.encoder == heads.risk.encoder == encoder_name(adapter)
    assert encoder_name(adapter).startswith(f"{BASE_ENCODER}+lora-")
