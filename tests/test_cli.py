from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.gazetteer import Gazetteer


@pytest.fixture
def run(gazetteer: Gazetteer):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example() -> None:
    assert "Example:" in cli.help
    for name, command in _commands(cli):
        assert command.help and "Example:" in command.help, name


def test_geocode_prints_the_best_place(run) -> None:
    result = run("geocode", "Sudzha")
    assert result.exit_code == 0
    assert result.stdout == "Sudzha, Kursk Oblast, Russia\tpopulated_place\t51.19100,35.27100\tgeonames:486816\n"


def test_geocode_all_as_json(run) -> None:
    result = run("geocode", "Moscow", "--all", "--limit", "3", "--json")
    records = json.loads(result.stdout)
    assert [r["geonameid"] for r in records][:1] == [524901]
    assert len(records) == 3
    assert records[0]["address"] == "Moscow, Moskva Oblast, Russia"


def test_no_match_is_one_line_and_status_1(run) -> None:
    result = run("geocode", "Xqzzyville")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no match for 'Xqzzyville' in the gazetteer\n"


def test_reverse(run) -> None:
    result = run("reverse", "51.19", "35.27", "--json")
    data = json.loads(result.stdout)
    assert data["place"]["geonameid"] == 486816
    assert data["admin1"]["geonameid"] == 538555
    assert data["country"]["geonameid"] == 2017370


def test_reverse_at_sea_is_status_1(run) -> None:
    result = run("reverse", "0", "-30")
    assert result.exit_code == 1 and "nothing in the gazetteer" in result.stderr


def test_reverse_rejects_bad_coordinates(run) -> None:
    result = run("reverse", "95", "10")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_gazetteer_info(run, gazetteer: Gazetteer) -> None:
    info = json.loads(run("gazetteer", "info", "--json").stdout)
    assert info["path"] == str(gazetteer.path)
    assert int(info["kind.country"]) >= 240


def test_silent_and_verbose_conflict(run) -> None:
    result = CliRunner().invoke(cli, ["--silent", "--verbose", "gazetteer", "info"])
    assert result.exit_code == 2 and "contradict" in result.stderr


def test_gazetteer_build_into_an_empty_cache_shows_progress(tmp_path, monkeypatch, tiny_sources) -> None:
    from geomap.gazetteer import build_gazetteer

    def tiny_build(path, *, progress=None, root=None):  # the small source tree: one full build per run is enough
        return build_gazetteer(path, progress=progress, root=tiny_sources)

    monkeypatch.setattr("geomap.gazetteer.build.build_gazetteer", tiny_build)
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["gazetteer", "build"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Building gazetteer" in result.stderr
    assert str(tmp_path) in result.stdout
    assert len(list(tmp_path.glob("gazetteer-*.sqlite"))) == 1
    assert "Building gazetteer: regions" in result.stderr and "\t15 places\t" in result.stdout  # the tiny tree


SEED_DIR = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "seeds")


def test_extract_seeds_to_jsonl(run, tmp_path) -> None:
    out = tmp_path / "m.jsonl"
    result = run("extract", SEED_DIR, "-o", str(out))
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["name"] for r in records} >= {"Kursk Oblast", "Sudzha", "Moscow", "Kyiv", "Donbas", "Ukraine"}
    assert "mentions in 2 articles; 0 unresolved" in result.stderr


def test_extract_takes_a_home_column_as_the_sources_home_region(run, tmp_path) -> None:
    corpus = tmp_path / "local.csv"
    text = "Police in Richmond said the road was closed."
    corpus.write_text(f'id,text,home\nky,"{text}",Kentucky\nbc,"{text}","British Columbia"\n', encoding="utf-8")
    out = tmp_path / "m.jsonl"
    assert run("extract", str(corpus), "-o", str(out)).exit_code == 0
    records = {r["article_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert (records["ky"]["admin1"], records["bc"]["admin1"]) == ("US.KY", "CA.02")


def test_extract_reports_unresolved_spans(run, tmp_path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "1", "text": "Smoke rose over Zqxwv Street."}) + "\n", encoding="utf-8")
    result = run("extract", str(source))
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["text"], record["place_id"]) == ("Zqxwv Street", None)
    assert "1 unresolved: 'Zqxwv Street'" in result.stderr


def test_extract_strict_stops_at_a_bad_record_with_one_line_and_no_output(run, tmp_path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{broken\n', encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = run("extract", str(source), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "bad.jsonl:2: not valid JSON" in result.stderr
    assert not out.exists()


def test_extract_skips_bad_records_lists_them_and_exits_3(run, tmp_path, caplog) -> None:
    source = tmp_path / "bad.jsonl"
    lines = ['{"id": 1, "text": "Shelling in Kyiv."}', "{broken", '{"id": 2}', '{"id": 3, "text": "Sudzha burns."}']
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = run("extract", str(source), "-o", str(out))
    assert result.exit_code == 3
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["article_id"] for r in records} == {"1", "3"}
    summary = result.stderr.splitlines()[-1]
    assert summary == (
        f"geomap: skipped 2 input records that cannot be used ({source}:2, {source}:3); --strict stops at the first"
    )
    reasons = caplog.text  # each skipped record's reason is logged as it is met (stderr, outside pytest)
    assert "bad.jsonl:2: not valid JSON" in reasons and "bad.jsonl:3: the record has no 'text'" in reasons
    quiet = CliRunner().invoke(cli, ["--quiet", "extract", str(source), "-o", str(out)])
    assert quiet.exit_code == 3 and quiet.stderr.splitlines() == [summary]  # the loss is said even with --quiet


def test_resolve_given_spans_from_stdin(gazetteer) -> None:
    record = {"id": "g", "text": "Talks in Geneva.", "toponyms": [{"start": 9, "end": 15}]}
    result = CliRunner().invoke(cli, ["resolve", "-", "--spans-field", "toponyms"], input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.output
    (mention,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert mention["geonameid"] == 2660646


def test_resolve_without_the_field_is_an_error(run, tmp_path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "1", "text": "Kyiv"}\n', encoding="utf-8")
    result = run("resolve", str(source), "--spans-field", "toponyms")
    assert result.exit_code == 1 and "has no 'toponyms' field" in result.stderr


def test_evaluate_small_gold(run, tmp_path) -> None:
    gold = tmp_path / "gold.jsonl"
    doc = {
        "id": "1",
        "text": "Fighting in Sudzha.",
        "toponyms": [{"start": 12, "end": 18, "lat": 51.191, "lon": 35.271, "type": "Literal"}],
    }
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    data = json.loads(run("evaluate", str(gold), "--json").stdout)
    assert data["lenient_f1"] == 1.0 and data["acc161"] == 1.0
    assert data["by_type"]["Literal"]["recall"] == 1.0
    text = run("evaluate", str(gold), "--spans-field", "toponyms").stdout
    assert "acc161           1.000" in text and "Literal" in text


def test_run_maps_the_seeds_into_a_folder(gazetteer, tmp_path, monkeypatch) -> None:
    import shutil

    shutil.copytree(SEED_DIR, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "--offline"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "maps/index.html"
    maps = tmp_path / "maps"
    assert (maps / "index.html").stat().st_size > 100_000
    assert len(list((maps / "articles").glob("*.js"))) == 2
    assert (maps / "article.html").stat().st_size > 100_000
    records = [json.loads(line) for line in (maps / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    collection = json.loads((maps / "mentions.geojson").read_text(encoding="utf-8"))
    assert len(collection["features"]) == len(records) > 0
    assert "tile.openstreetmap" not in (maps / "index.html").read_text(encoding="utf-8")


def test_run_without_input_or_seeds_is_a_usage_error(gazetteer, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 2 and "no seeds/ folder here" in result.stderr


def test_map_and_export_from_saved_records(run, tmp_path) -> None:
    mentions = tmp_path / "m.jsonl"
    run("extract", SEED_DIR, "-o", str(mentions))
    out = tmp_path / "maps"
    result = run("map", str(mentions), "--articles", SEED_DIR, "-o", str(out))
    assert result.exit_code == 0 and (out / "index.html").exists()
    assert "Putin visits Kursk region" in (out / "index.html").read_text(encoding="utf-8")
    places = tmp_path / "p.geojson"
    assert run("export", str(mentions), "-o", str(places), "--per", "place").exit_code == 0
    features = json.loads(places.read_text(encoding="utf-8"))["features"]
    assert any(f["properties"]["place_id"] == "region:donbas" for f in features)
    table = tmp_path / "m.csv"
    assert run("export", str(mentions), "-o", str(table), "--articles", SEED_DIR).exit_code == 0
    header = table.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("article_id,start,end,text") and "article_title" in header


def test_map_of_a_missing_file_is_one_line(run, tmp_path) -> None:
    result = run("map", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "does not exist" in result.stderr


# --- bad input and outputs: one line, a status, nothing half-written ------------------


def _one_line_error(result, status: int = 1) -> str:
    assert result.exit_code == status, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    return result.stderr


def test_unknown_output_suffixes_are_errors_that_list_the_formats(run, tmp_path) -> None:
    mentions = tmp_path / "m.jsonl"
    run("extract", SEED_DIR, "-o", str(mentions))
    message = _one_line_error(run("export", str(mentions), "-o", str(tmp_path / "x.txt")))
    assert "'.txt'" in message and ".geojson, .json, .csv" in message
    message = _one_line_error(run("extract", SEED_DIR, "-o", str(tmp_path / "x.txt")))
    assert ".jsonl, .ndjson, .csv" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.jsonl"]


def test_outputs_under_a_regular_file_fail_before_the_work(run, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")

    def no_geoparsing(*args, **kwargs):
        raise AssertionError("geoparsing started before the output was checked")

    monkeypatch.setattr("geomap.cli.job.Geoparser", no_geoparsing)
    for args in (
        ("run", SEED_DIR, "-o", str(blocker / "maps")),
        ("extract", SEED_DIR, "-o", str(blocker / "m.jsonl")),
        ("map", str(blocker), "-o", str(blocker / "maps")),
    ):
        assert "notes.txt' is a file, not a folder" in _one_line_error(run(*args)), args
    usage = run("run", SEED_DIR, "-o", str(blocker))  # click's own check of a folder option
    assert usage.exit_code == 2 and "notes.txt' is a file" in usage.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_full_disk_is_one_line_and_keeps_the_previous_maps(run, tmp_path, monkeypatch) -> None:
    out = tmp_path / "maps"
    assert run("run", SEED_DIR, "-o", str(out), "--offline").exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(path, text):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("geomap.render.files._write_text", full)
    message = _one_line_error(run("run", SEED_DIR, "-o", str(out), "--offline"))
    assert message.endswith(": No space left on device\n") and str(out) in message
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_empty_input_says_no_articles(run, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert "no articles found in" in _one_line_error(run("run", str(empty), "-o", str(tmp_path / "maps")))
    assert "no articles found in" in _one_line_error(run("extract", str(empty)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]


def test_progress_lines_and_quiet(gazetteer, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GEOMAP_PROGRESS_INTERVAL", "0")
    out = tmp_path / "m.jsonl"
    result = CliRunner().invoke(cli, ["extract", SEED_DIR, "-o", str(out)], catch_exceptions=False)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("geomap: 1 article, 0.004 MB of 0.004 MB, ") and lines[1].startswith(
        "geomap: 2 articles"
    )
    assert lines[-1].startswith("geomap: ") and "mentions in 2 articles" in lines[-1]
    for flag in ("--quiet", "-q", "--silent"):
        quiet = CliRunner().invoke(cli, [flag, "extract", SEED_DIR, "-o", str(out)], catch_exceptions=False)
        assert (quiet.exit_code, quiet.stderr) == (0, "")


def _geomap(*args: str, **options):
    import subprocess
    import sys

    command = [sys.executable, "-c", "from geomap.cli import main; main()", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def _articles(path, count: int):
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            text = f"Shelling in Kyiv and Sudzha, day {i}. Talks in Geneva and Paris went on. " * 5
            handle.write(json.dumps({"id": str(i), "title": f"Story {i}", "text": text}) + "\n")
    return path


def test_a_closed_pipe_ends_quietly(gazetteer, tmp_path) -> None:
    process = _geomap("extract", str(_articles(tmp_path / "a.jsonl", 300)))
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as "| head -1" does
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and "Traceback" not in stderr, stderr


def test_a_killed_run_leaves_the_previous_maps(gazetteer, tmp_path) -> None:
    import signal
    import time

    out = tmp_path / "maps"
    assert CliRunner().invoke(cli, ["run", SEED_DIR, "-o", str(out)], catch_exceptions=False).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    process = _geomap("run", str(_articles(tmp_path / "a.jsonl", 3000)), "-o", str(out))
    deadline = time.monotonic() + 60
    while not list(out.glob(".geomap-staging-*/articles/*.js")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until pages are being written aside
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr, stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_read_only_output_folder_fails_before_the_work(run, read_only_folder, monkeypatch) -> None:
    def no_geoparsing(*args, **kwargs):
        raise AssertionError("geoparsing started before the output was checked")

    monkeypatch.setattr("geomap.cli.job.Geoparser", no_geoparsing)
    for args in (
        ("run", SEED_DIR, "-o", str(read_only_folder)),
        ("extract", SEED_DIR, "-o", str(read_only_folder / "m.csv")),
    ):
        message = _one_line_error(run(*args))
        assert "locked" in message and ("Permission denied" in message or "Operation not permitted" in message)
    assert list(read_only_folder.iterdir()) == []


_HEAVY = ("geopy", "shapely", "pandas", "folium", "branca", "requests")


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["extract", "-j", "1", SEED_DIR, "-o", "{tmp}/m.jsonl"], set()),  # no polygon, table or map: none
        (["geocode", "Sudzha"], {"geopy", "requests", "shapely"}),  # geopy's Geocoder; the unit a town lies in
        (["extract", "-j", "1", SEED_DIR, "-o", "{tmp}/m.geojson"], {"shapely"}),  # the regions' polygons
    ],
)
def test_a_command_loads_only_the_libraries_it_uses(gazetteer, tmp_path, args, loaded) -> None:
    import subprocess
    import sys

    report = f"import atexit, sys; atexit.register(lambda: print(sorted(set({_HEAVY!r}) & set(sys.modules))))"
    command = [sys.executable, "-c", f"{report}; from geomap.cli import main; main()"]
    command += [arg.format(tmp=tmp_path) for arg in args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout.splitlines()[-1].replace("'", '"'))) == loaded


def test_jobs_takes_a_positive_number_and_defaults_to_every_core(gazetteer, tmp_path) -> None:
    from geomap.parallel import available_cores

    bad = CliRunner().invoke(cli, ["extract", "-j", "0", SEED_DIR])
    assert bad.exit_code == 2 and "0 is not in the range x>=1" in bad.stderr
    helped = CliRunner().invoke(cli, ["run", "--help"])
    assert f"default: all {available_cores()} cores" in helped.stdout
    outputs = []
    for jobs in ([], ["-j", "1"], ["--jobs", "3"]):
        out = tmp_path / f"m{len(outputs)}.jsonl"
        result = CliRunner().invoke(cli, ["extract", *jobs, SEED_DIR, "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_map_draws_the_same_from_records_in_any_order(run, tmp_path) -> None:
    mentions = tmp_path / "m.jsonl"
    run("extract", SEED_DIR, "-o", str(mentions))
    lines = mentions.read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "shuffled.jsonl"  # the articles' records interleaved
    shuffled.write_text("\n".join(lines[::2] + lines[1::2]) + "\n", encoding="utf-8")
    for source, out in ((mentions, "one"), (shuffled, "two")):
        assert run("map", str(source), "--articles", SEED_DIR, "-o", str(tmp_path / out), "--offline").exit_code == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two and len(one) == 4  # index.html, article.html, two articles' data


def test_article_layers_sets_when_the_index_aggregates(run, tmp_path) -> None:
    mentions = tmp_path / "m.jsonl"
    run("extract", SEED_DIR, "-o", str(mentions))
    for limit, branches in (("1", False), ("2", True)):
        out = tmp_path / limit
        assert run("map", str(mentions), "-o", str(out), "--offline", "--article-layers", limit).exit_code == 0
        index = (out / "index.html").read_text(encoding="utf-8")
        assert ('layers["' in index) is branches and ('"search": null' in index) is branches
    result = run("map", str(mentions), "-o", str(tmp_path / "x"), "--article-layers", "-1")
    assert result.exit_code == 2 and "article-layers" in result.stderr
