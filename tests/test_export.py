from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.export import read_mentions, write_mentions
from geomap.models import MENTION_FIELDS

RECORDS = [
    {
        "article_id": "a",
        "start": 0,
        "end": 6,
        "text": "Sudzha",
        "sentence": 'Sudzha, "quoted", burns.',
        "sentence_start": 0,
        "type": "literal",
        "place_id": "geonames:486816",
        "geonameid": 486816,
        "name": "Sudzha",
        "kind": "populated_place",
        "country_code": "RU",
        "admin1": "RU.41",
        "lat": 51.191,
        "lon": 35.271,
        "confidence": 0.93,
        "resolved_by": "gazetteer",
        "alternatives": [{"place_id": "geonames:1", "name": "X", "probability": 0.05}],
    },
    {
        "article_id": "a",
        "start": 10,
        "end": 17,
        "text": "Nowhere",
        "sentence": "Nowhere",
        "sentence_start": 10,
        "type": "literal",
        "place_id": None,
        "geonameid": None,
        "name": None,
        "kind": None,
        "country_code": None,
        "admin1": None,
        "lat": None,
        "lon": None,
        "confidence": None,
        "resolved_by": None,
        "alternatives": [],
    },
]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"m{suffix}"
    assert write_mentions(RECORDS, path) == 2
    assert read_mentions(path) == RECORDS


def test_csv_has_the_contract_columns(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    write_mentions(RECORDS, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(MENTION_FIELDS)


def test_stream_output() -> None:
    stream = io.StringIO()
    write_mentions(RECORDS, stream)
    assert [json.loads(line)["text"] for line in stream.getvalue().splitlines()] == ["Sudzha", "Nowhere"]


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"

    def broken():
        yield RECORDS[0]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_mentions(broken(), path)
    assert list(tmp_path.iterdir()) == []


def test_reading_bad_records_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"start": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"m\.jsonl:2: not valid JSON"):
        read_mentions(path)
    with pytest.raises(InputError, match="does not exist"):
        read_mentions(tmp_path / "missing.jsonl")
