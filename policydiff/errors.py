"""Error classes. Every failure a user can cause is one of these, with a one-line message.

The CLI prints ``policydiff: <message>`` and exits with code 2 for any of them; a traceback is
shown only with ``--debug``. Messages name the file and say what to do.
"""

from __future__ import annotations


class PolicyDiffError(Exception):
    """Base class: a problem with the user's input, options or output, not a bug."""


class InputError(PolicyDiffError):
    """An input file cannot be read as a Chinese text document (binary, undecodable, ambiguous)."""


class OutputError(PolicyDiffError):
    """An output cannot be written safely (would overwrite an input, exists without
    --force, ...)."""


class ExportError(PolicyDiffError):
    """An exported JSON file cannot be loaded back (malformed, wrong schema, stale hashes)."""


class ConfigError(PolicyDiffError):
    """A user-supplied configuration file (themes TOML, dictionary) is malformed."""
