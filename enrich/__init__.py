"""Enrichment: language, PII redaction, spam and duplicates, sentiment, department intent, escalation risk."""
