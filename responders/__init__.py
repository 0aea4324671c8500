"""Responders: reply drafts and templates, the two-person approval state machine, posters for X and Reddit."""
