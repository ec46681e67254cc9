"""The change report: what changed between two documents (issue 13)."""
