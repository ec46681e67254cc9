"""``formats.phrases.render_json`` writes the phrase list itself (no dict per occurrence): the
text must be byte for byte what ``json.dumps`` writes of ``report_dict``, and load back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.formats.phrases import load_phrases, render_json, report_dict


def test_streamed_json_is_json_dumps_of_the_report(seed_files: dict[str, Path]) -> None:
    comparison = compare(list(seed_files.values()), Config(cache=False))
    report = comparison.phrase_report()
    assert report.phrase_set.phrases and report.changes  # something in every part
    text = render_json(report)
    expected = json.dumps(report_dict(report), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")) + "\n"
    assert text == expected
    data = load_phrases(text, texts={d.id: d.text for d in comparison.documents})
    assert [p["text"] for p in data["phrases"]] == [p.text for p in report.phrase_set.phrases]
    assert "phrases" not in report_dict(report, phrases=False)
    # an occurrence not located in a section (section None) is null, as json.dumps writes it
    first = report.phrase_set.phrases[0]
    bare = dataclasses.replace(
        first, occurrences=tuple(dataclasses.replace(o, section=None) for o in first.occurrences)
    )
    phrase_set = dataclasses.replace(report.phrase_set,
                                     phrases=(bare, *report.phrase_set.phrases[1:]))
    other = dataclasses.replace(report, phrase_set=phrase_set)
    text = render_json(other)
    assert '"section":null' in text
    assert text == json.dumps(report_dict(other), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")) + "\n"
