from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.ingest import parse_date, parse_page_dump, read_articles
from geomap.models import Article

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_db247c232c80904f.txt"


def test_seed_dump_gives_exactly_two_articles() -> None:
    first, second = read_articles([SEED])
    assert first.title == "Putin visits Kursk region for first time since Ukraine attacked it"
    assert second.title == "Russia says foreign forces in Ukraine would be ‘legitimate targets’"
    assert (first.date, second.date) == ("2025-03-12", "2026-02-03")
    assert first.dateline == second.dateline == "MOSCOW"
    assert first.summary.startswith("Vladimir Putin heard a report from Valery Gerasimov")
    assert second.summary.startswith("Moscow has repeatedly said")
    assert first.extra["caption"].startswith("Russian President Vladimir Putin during his visit")


def test_page_chrome_is_not_article_text() -> None:
    for article in read_articles([SEED]):
        assert "Short Url" not in article.text
        assert "\nFollow\n" not in article.text and not article.text.startswith("Follow")
        assert article.title not in article.text  # the repeated headline is chrome
        assert "Updated" not in article.text
    first, second = read_articles([SEED])
    assert first.text.rstrip().endswith("saving soldiers lives is a priority.")
    assert "Russia says foreign forces" not in first.text
    assert "MOSCOW: Russia would regard" in second.text


def test_plain_text_without_page_structure_is_one_article() -> None:
    (article,) = parse_page_dump("Floods in Kerala\n\nKOCHI: Rains hit the coast.", stem="note")
    assert (article.id, article.title, article.dateline) == ("note", "Floods in Kerala", None)
    assert article.text.startswith("Floods in Kerala")


def test_jsonl_keeps_extra_fields_and_normalises_dates(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = [
        {"id": 7, "text": "KYIV, Ukraine — Shelling.", "title": "T", "date": "12 March 2025", "toponyms": [1]},
        {"id": "b", "text": "x", "date": "2026-02-03T10:00:00Z", "url": "https://example.org/b"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second = read_articles([path])
    assert (first.id, first.date, first.dateline, first.extra) == ("7", "2025-03-12", "KYIV", {"toponyms": [1]})
    assert (second.date, second.url) == ("2026-02-03", "https://example.org/b")


def test_csv_articles(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id,text,source,desk\n1,"Sudzha, Russia",wire,europe\n', encoding="utf-8")
    (article,) = read_articles([path])
    assert (article.id, article.text, article.source) == ("1", "Sudzha, Russia", "wire")
    assert article.extra == {"desk": "europe"}


def test_folder_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "one.jsonl").write_text('{"id": "1", "text": "a"}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.csv").write_text("id,text\n2,b\n", encoding="utf-8")
    assert [a.id for a in read_articles([tmp_path])] == ["1", "2"]
    stdin = io.BytesIO(b'{"id": "s", "text": "from stdin"}\n')
    assert [a.text for a in read_articles(["-"], stdin=stdin)] == ["from stdin"]


def test_folder_given_by_a_relative_path_through_dot_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "../seeds" is no hidden folder; hidden files and folders inside the one given are skipped
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "one.jsonl").write_text('{"id": "1", "text": "a"}\n', encoding="utf-8")
    (tmp_path / "seeds" / ".cache").mkdir()
    (tmp_path / "seeds" / ".cache" / "two.jsonl").write_text('{"id": "2", "text": "b"}\n', encoding="utf-8")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert [a.id for a in read_articles(["../seeds"])] == ["1"]
    assert [a.id for a in read_articles(["./../seeds/"])] == ["1"]


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"id": "1", "text": "Kyiv"}\n')
    assert [a.text for a in read_articles([path])] == ["Kyiv"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.txt", b"Kyiv \xff\xfe news", r"bad\.txt: not UTF-8 text \(undecodable byte at offset 5\)"),
        ("bad.jsonl", b'{"id": 1, "text": "a"}\n{"id": 2,\n', r"bad\.jsonl:2: not valid JSON"),
        ("bad.jsonl", b'{"id": 1}\n', r"bad\.jsonl:1: the record has no 'text' field"),
        ("bad.csv", b"name,body\nx,y\n", r"bad\.csv: the CSV header has no 'id' or 'text' column"),
        ("dup.jsonl", b'{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', r"article id '1' was already used"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_articles([path]))


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(read_articles([tmp_path / "nope.txt"]))
    with pytest.raises(InputError, match=r"holds no \.csv, \.jsonl, \.ndjson, \.text, \.txt files"):
        list(read_articles([tmp_path]))


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("12 March 2025", "2025-03-12"),
        ("March 12, 2025", "2025-03-12"),
        ("2025-03-12", "2025-03-12"),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_date(raw: str | None, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_jsonl_lines_end_at_newline_only(tmp_path: Path) -> None:
    # U+2028, U+2029, U+0085, form feed and a lone carriage return are text inside JSON strings
    texts = ["Kyiv\u2028Sudzha", "Moscow\u2029Kursk", "Odesa\x85Lviv", "Paris\x0cLyon", "Rome\rMilan"]
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"id": str(i), "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    path.write_bytes(("\n".join(lines) + "\r\n").encode("utf-8"))
    assert [a.text for a in read_articles([path])] == texts


def test_bad_records_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "Kyiv"}\n{broken\n{"id": "2"}\n{"id": "1", "text": "again"}\n'
        b'"a string"\n{"id": "3", "text": "bad \xff byte"}\n{"id": "4", "text": "Sudzha"}\n'
    )
    reader = read_articles([path], on_bad_record="skip")
    assert [a.id for a in reader] == ["1", "4"]
    assert [where for where, _ in reader.skipped] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    messages = [message for _, message in reader.skipped]
    assert "not valid JSON" in messages[0] and "no 'text' field" in messages[1]
    assert "already used" in messages[2] and "expected a JSON object" in messages[3] and "not UTF-8" in messages[4]
    with pytest.raises(InputError, match=r"mixed\.jsonl:2: not valid JSON"):
        list(read_articles([path]))  # the library's default: stop at the first


def test_csv_rows_without_text_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id,text\n1,Kyiv\n2,\n3,"Sudzha\nand Kursk"\n', encoding="utf-8")
    reader = read_articles([path], on_bad_record="skip")
    assert [a.text for a in reader] == ["Kyiv", "Sudzha\nand Kursk"]
    assert reader.skipped == [(f"{path}:3", f"{path}:3: the record has no 'text' field")]


def test_csv_takes_article_texts_longer_than_the_csv_module_default(tmp_path: Path) -> None:
    text = "Fighting near Sudzha. " * 20_000  # 440,000 characters in one field
    path = tmp_path / "long.csv"
    path.write_text(f'id,text\n1,"{text}"\n', encoding="utf-8")
    (article,) = read_articles([path])
    assert article.text == text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("empty.txt", b"  \n\n\t\n"),
        ("empty.jsonl", b""),
        ("empty.jsonl", b"\n \n\t\n"),
        ("empty.csv", b""),
        ("empty.csv", b"id,text\n"),
    ],
)
def test_no_articles_is_an_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"no articles found in '.*empty"):
        list(read_articles([path], on_bad_record="skip"))


def test_nothing_but_bad_records_is_an_error_that_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{\n[]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no articles found in .*\(2 unusable records skipped\)"):
        list(read_articles([path], on_bad_record="skip"))


def test_files_are_streamed_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(5_000):
            handle.write(json.dumps({"id": str(i), "text": f"Story {i} from Kyiv. " * 20}) + "\n")
    reader = read_articles([path, "-"], stdin=io.BytesIO(b'{"id": "s", "text": "x"}\n'))
    assert reader.total_bytes is None  # standard input has no size
    reader = read_articles([path])
    assert reader.total_bytes == path.stat().st_size
    articles = iter(reader)
    next(articles)
    assert 0 < reader.bytes_read < reader.total_bytes / 10  # one article in, the file is not read whole
    assert sum(1 for _ in articles) == 4_999
    assert (reader.bytes_read, reader.articles) == (reader.total_bytes, 5_000)


def test_missing_inputs_fail_before_reading() -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_articles(["no-such-file.jsonl"])  # no iteration needed


def test_unknown_bad_record_policy() -> None:
    with pytest.raises(ValueError, match=r"on_bad_record='ignore' is not one of 'raise', 'skip'"):
        read_articles([SEED], on_bad_record="ignore")


def test_a_second_reader_plugs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy format (tab-separated id and text) is one class and one registry entry."""
    from geomap.readers import READERS

    class TsvReader:
        name = "tsv"
        suffixes = (".tsv",)

        def sniff(self, head: bytes) -> bool:
            return b"\t" in head.split(b"\n", 1)[0]

        def read(self, stream, *, name: str, stem: str):
            for lineno, line in enumerate(stream, start=1):
                identifier, _, text = line.decode("utf-8").rstrip("\n").partition("\t")
                yield f"{name}:{lineno}", Article(id=identifier, text=text)

    monkeypatch.setitem(READERS, "tsv", TsvReader())
    (tmp_path / "news.tsv").write_text("a\tShelling in Kyiv.\nb\tTalks in Geneva.\n", encoding="utf-8")
    (tmp_path / "more.dat").write_text("c\tFloods in Kerala.\n", encoding="utf-8")
    assert [a.text for a in read_articles([tmp_path])] == ["Shelling in Kyiv.", "Talks in Geneva."]  # by suffix
    assert [a.id for a in read_articles([tmp_path / "more.dat"])] == ["c"]  # by sniffing
    assert [a.id for a in read_articles([tmp_path / "more.dat"], fmt="tsv")] == ["c"]  # by name
