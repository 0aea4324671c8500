"""Prefect flows: scheduled backfill, rollups, SLA sweeps, digests, model evaluation."""
