"""Renderers: what the user reads. Terminal text, HTML pages, Markdown and CSV, drawn from the
core's results; nothing here computes an alignment, a diff or a phrase."""
