"""Strict JSON loading of exports, and the JSON Schema of the alignment export.

Expected messages and positions below were worked out by hand from the inputs.
"""

from __future__ import annotations

import copy
import json
import math
import time
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from policydiff.errors import ExportError
from policydiff.formats.jsontext import load_json_strict


def refused(data: bytes | str, **options: Any) -> str:
    with pytest.raises(ExportError) as info:
        load_json_strict(data, name="out/align.json", **options)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("out/align.json: ")
    return message


# ---------------------------------------------------------------- accepted input


def test_plain_documents() -> None:
    assert load_json_strict(
        b'{"a": [1, 2.5, "\xe4\xba\xa7\xe4\xb8\x9a", null, true]}', name="x"
    ) == {"a": [1, 2.5, "产业", None, True]}
    assert load_json_strict('{"schema": "policydiff/alignment@2"}', name="x") == {
        "schema": "policydiff/alignment@2"
    }
    assert load_json_strict("3", name="x") == 3
    assert load_json_strict(bytearray(b"[]"), name="x") == []


def test_bom_is_accepted_and_stripped() -> None:
    assert load_json_strict(b'\xef\xbb\xbf{"a": 1}', name="x") == {"a": 1}
    assert load_json_strict("\ufeff[1]", name="x") == [1]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"heading": "[" * 1000 + "{" * 1000, "quote": '"\\[[['})
    assert load_json_strict(text, name="x")["heading"].startswith("[[[")


def test_depth_limit_is_exact() -> None:
    assert load_json_strict("[" * 64 + "]" * 64, name="x") is not None
    assert "nested deeper than 64 levels" in refused("[" * 65 + "]" * 65)
    assert "nested deeper than 3 levels" in refused('{"a": [{"b": []}]}', max_depth=3)
    assert load_json_strict('{"a": [{"b": 1}]}', name="x", max_depth=3) == {"a": [{"b": 1}]}


# ---------------------------------------------------------------- refused input


def test_truncated_json_names_line_and_column() -> None:
    # Line 3 is ` "b": ` and the text ends after it: the value is missing at line 3, column 7.
    message = refused(b'{\n "a": 1,\n "b": ')
    assert "invalid JSON at line 3, column 7" in message
    assert "Expecting value" in message


def test_syntax_error_column_counts_characters_not_bytes() -> None:
    # `{"产业": 1 2}`: the stray `2` is the 10th character (byte 14 in UTF-8).
    assert "line 1, column 10" in refused('{"产业": 1 2}'.encode())


def test_empty_and_bom_only() -> None:
    assert "invalid JSON at line 1, column 1" in refused(b"")
    assert "invalid JSON at line 1, column 1" in refused(b"\xef\xbb\xbf")
    assert "invalid JSON at line 1, column 4" in refused("   ")


def test_deep_nesting_is_refused_before_parsing() -> None:
    assert "nested deeper than 64 levels" in refused("[" * 100_000)
    assert "nested deeper than 64 levels" in refused(b'{"a":' * 100_000)


def test_duplicate_keys() -> None:
    assert "duplicate key 'a'" in refused('{"a": 1, "a": 2}')
    assert "duplicate key 'id'" in refused('{"sections": [{"id": "d1/1", "id": "d1/2"}]}')
    assert load_json_strict('[{"a": 1}, {"a": 2}]', name="x") == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants(token: str) -> None:
    assert f"{token} is not allowed" in refused(f'{{"score": {token}}}')


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1.5e999"])
def test_overflowing_floats(number: str) -> None:
    assert f"number {number} is out of range" in refused(f"[{number}]")


def test_huge_integer() -> None:
    assert "invalid JSON" in refused("[" + "9" * 5000 + "]")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ('{"a": "产业"}'.encode("gbk"), "not UTF-8 (byte 0xb2 at offset 7)"),
        ('["政策"]'.encode()[:-3], "not UTF-8 (byte 0xe7 at offset 5)"),
        (b"\xff\xfe[\x00]\x00", "not UTF-8 (byte 0xff at offset 0)"),
        (b"\xef\xbb\xbf\xc3(", "not UTF-8 (byte 0xc3 at offset 3)"),
    ],
    ids=["gbk", "truncated-multibyte", "utf16", "bad-after-bom"],
)
def test_not_utf8(data: bytes, fragment: str) -> None:
    assert fragment in refused(data)


def test_size_limit() -> None:
    assert "file too large (11 bytes; limit 10)" in refused(b"[1,2,3,4,5]", max_bytes=10)
    # `["产业"]` is 6 characters but 10 bytes in UTF-8.
    assert "file too large (10 bytes; limit 7)" in refused('["产业"]', max_bytes=7)
    assert load_json_strict('["产业"]', name="x", max_bytes=10) == ["产业"]


def test_name_with_control_characters_stays_one_line() -> None:
    with pytest.raises(ExportError) as info:
        load_json_strict("[", name="evil\nname\x1b[2J.json")
    assert "\n" not in str(info.value) and "\x1b" not in str(info.value)


def test_adversarial_quotes_stay_linear() -> None:
    # An unterminated string followed by many escaped quotes: a naive string regex rescans
    # from every quote (quadratic); this must finish in well under a second.
    start = time.perf_counter()
    assert "invalid JSON" in refused('["' + '\\"' * 200_000)
    assert "invalid JSON" in refused('"' + "[" * 200_000)
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------- properties

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None)
@given(value=JSON_VALUES, as_bytes=st.booleans())
def test_round_trip(value: Any, as_bytes: bool) -> None:
    text = json.dumps(value, ensure_ascii=False)
    data = text.encode("utf-8", "surrogatepass") if as_bytes else text
    if as_bytes and any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return  # lone surrogates are not UTF-8; covered by the refusal tests
    loaded = load_json_strict(data, name="x", max_depth=1000)
    assert loaded == value or (isinstance(value, float) and math.isclose(loaded, value))


@settings(max_examples=100, deadline=None)
@given(
    data=st.binary(max_size=200)
    | st.text(alphabet='[]{}",:\\0123456789.eE-+ntrufalsNIy \n', max_size=200)
)
def test_never_anything_but_export_error(data: bytes | str) -> None:
    try:
        load_json_strict(data, name="fuzz.json")
    except ExportError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz.json: ")


# ---------------------------------------------------------------- the alignment JSON Schema


def alignment_schema() -> dict[str, Any]:
    text = resources.files("policydiff.data").joinpath("alignment.schema.json").read_text("utf-8")
    schema: dict[str, Any] = load_json_strict(text, name="alignment.schema.json")
    return schema


SCHEMA = alignment_schema()
VALIDATOR = Draft202012Validator(SCHEMA)

# The example of ARCHITECTURE.md, typed by hand; its "…" placeholders are filled with values of
# the right shape (the sha256 is that of seeds/000_fa4a5ba1074ac6cc.txt as a 64-hex string).
EXAMPLE: dict[str, Any] = {
    "schema": "policydiff/alignment@2",
    "generator": {"name": "policydiff", "version": "0.1.0"},
    "themes": [{"id": "industry", "name": "产业发展"}],
    "documents": [
        {
            "id": "d1",
            "path": "seeds/000_fa4a5ba1074ac6cc.txt",
            "title": "政府工作报告",
            "sha256": "fa4a5ba1074ac6cc" + "0" * 48,
            "encoding": "utf-8",
            "script": "hans",
            "warnings": [],
            "sections": [
                {
                    "id": "d1/2",
                    "parent": "d1",
                    "level": 1,
                    "label": "第二，",
                    "heading": "聚力速效同增、量质兼备，培育更具实力的工业优势",
                    "themes": [{"id": "industry", "score": 0.92}],
                    "span": [812, 1330],
                    "source_span": [812, 1330],
                }
            ],
        }
    ],
    "pairs": [
        {
            "a": "d1",
            "b": "d2",
            "matches": [
                {
                    "a": "d1/2",
                    "b": "d2/3.1",
                    "score": 0.81,
                    "themes": ["industry"],
                    "heading_similarity": 0.55,
                    "body_similarity": 0.62,
                    "shared_terms": ["园区", "传统产业"],
                }
            ],
            "unmatched_a": ["d1/7.1"],
            "unmatched_b": ["d2/1.5"],
        }
    ],
    "matrix": [{"theme": "industry", "sections": {"d1": ["d1/2"], "d2": ["d2/1.1", "d2/3.1"]}}],
}


def errors(instance: Any) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(instance)]


def broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    return data


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_architecture_example_is_valid() -> None:
    assert errors(EXAMPLE) == []


def test_extra_fields_are_allowed() -> None:
    def add(data: dict[str, Any]) -> None:
        data["created_by"] = "test"
        data["themes"][0]["name_en"] = "Industry"
        doc = data["documents"][0]
        doc["chars"] = 9000
        sec = doc["sections"][0]
        sec.update(kind="heading", heading_span=[812, 840], body_span=[840, 1330], note="x")
        match = data["pairs"][0]["matches"][0]
        match.update(kind="split", extra=[1])
        data["matrix"][0]["note"] = "x"

    assert errors(broken(add)) == []


BROKEN = [
    ("no schema", lambda d: d.pop("schema"), "'schema' is a required property"),
    (
        "wrong schema",
        lambda d: d.update(schema="policydiff/alignment@1"),
        "'policydiff/alignment@2' was expected",
    ),
    ("no generator", lambda d: d.pop("generator"), "'generator' is a required property"),
    ("no matrix", lambda d: d.pop("matrix"), "'matrix' is a required property"),
    ("no documents", lambda d: d.update(documents=[]), "should be non-empty"),
    ("no sha256", lambda d: d["documents"][0].pop("sha256"), "'sha256' is a required property"),
    ("bad sha256", lambda d: d["documents"][0].update(sha256="…"), "does not match"),
    ("bad script", lambda d: d["documents"][0].update(script="latin"), "is not one of"),
    (
        "no span",
        lambda d: d["documents"][0]["sections"][0].pop("span"),
        "'span' is a required property",
    ),
    (
        "no parent",
        lambda d: d["documents"][0]["sections"][0].pop("parent"),
        "'parent' is a required property",
    ),
    (
        "level 0",
        lambda d: d["documents"][0]["sections"][0].update(level=0),
        "less than the minimum of 1",
    ),
    ("span of 3", lambda d: d["documents"][0]["sections"][0].update(span=[1, 2, 3]), "is too long"),
    (
        "negative span",
        lambda d: d["documents"][0]["sections"][0].update(source_span=[-1, 2]),
        "less than the minimum of 0",
    ),
    (
        "float span",
        lambda d: d["documents"][0]["sections"][0].update(span=[1.5, 2]),
        "is not of type 'integer'",
    ),
    (
        "theme score 1.5",
        lambda d: d["documents"][0]["sections"][0]["themes"][0].update(score=1.5),
        "greater than the maximum of 1",
    ),
    (
        "bad theme id",
        lambda d: d["documents"][0]["sections"][0]["themes"][0].update(id="产业"),
        "does not match",
    ),
    (
        "match score 1.5",
        lambda d: d["pairs"][0]["matches"][0].update(score=1.5),
        "greater than the maximum of 1",
    ),
    (
        "negative similarity",
        lambda d: d["pairs"][0]["matches"][0].update(body_similarity=-0.1),
        "less than the minimum of 0",
    ),
    (
        "no score",
        lambda d: d["pairs"][0]["matches"][0].pop("score"),
        "'score' is a required property",
    ),
    (
        "no shared_terms",
        lambda d: d["pairs"][0]["matches"][0].pop("shared_terms"),
        "'shared_terms' is a required property",
    ),
    ("bad kind", lambda d: d["pairs"][0]["matches"][0].update(kind="moved"), "is not one of"),
    (
        "no unmatched_b",
        lambda d: d["pairs"][0].pop("unmatched_b"),
        "'unmatched_b' is a required property",
    ),
    (
        "score as string",
        lambda d: d["pairs"][0]["matches"][0].update(score="0.81"),
        "is not of type 'number'",
    ),
    (
        "matrix cell not a list",
        lambda d: d["matrix"][0]["sections"].update(d1="d1/2"),
        "is not of type 'array'",
    ),
]


@pytest.mark.parametrize(("case", "change", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_variants_are_rejected(case: str, change: Any, fragment: str) -> None:
    found = errors(broken(change))
    assert found, case
    assert any(fragment in message for message in found), found
