"""``Config``: every setting of a comparison, in one frozen value.

The CLI builds one from its options, the viewer's app factory takes one, and
``policydiff.compare(paths, config=...)`` runs with it. Defaults are the tool's defaults, so
``Config()`` is what ``policydiff compare`` does without options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policydiff.diff import DiffOptions
from policydiff.matches import AlignOptions
from policydiff.normalize_config import NormalizeConfig
from policydiff.overrides import Overrides


@dataclass(frozen=True)
class Config:
    """How documents are read, normalized, classified, aligned, diffed and mined.

    - ``encoding``: decode every input with this encoding (``None``: detect it);
    - ``normalize``: which normalization steps run;
    - ``themes_file``: a theme taxonomy (TOML) replacing the bundled one;
    - ``align``: match scoring and threshold;
    - ``diff``: what section diffs ignore, and their work budgets;
    - ``cache``: ``None`` follows ``POLICYDIFF_NO_CACHE``, ``False`` bypasses the per-document
      cache, ``True`` uses it;
    - ``min_phrase_chars``: the shortest shared phrase, in Chinese characters;
    - ``all_pairs``: align every pair of documents, however many (``--all-pairs``; by default
      above ``pairs.SMALL_SET`` documents only the pairs that matter, see ``policydiff.pairs``);
    - ``series``: the documents, in the given order, are one series (``--series``): they are
      paired consecutively and get new/dropped phrases (else series are found by name);
    - ``overrides``: an analyst's pairs, unpairs and splits (``--overrides FILE``, or the
      ``policydiff-overrides.toml`` beside the documents; ``policydiff.overrides``), applied
      before the automatic alignment.
    """

    encoding: str | None = None
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    themes_file: str | Path | None = None
    align: AlignOptions = field(default_factory=AlignOptions)
    diff: DiffOptions = field(default_factory=DiffOptions)
    cache: bool | None = None
    min_phrase_chars: int = 4
    all_pairs: bool = False
    series: bool = False
    overrides: Overrides | None = None
