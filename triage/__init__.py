"""Triage: routing policy with explained decisions, cases and threading, assignment, SLA clocks, spikes."""
