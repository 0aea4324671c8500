"""Collectors: sources of mentions (X, Reddit, file replay) and the runner that publishes them."""
