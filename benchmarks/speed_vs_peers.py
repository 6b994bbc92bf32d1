"""geomap against flashgeotext and a plain n-gram baseline, on the same corpora, in one run.

Builds, in a temporary folder, from a gold corpus's texts (GeoWebNews):

- the corpus repeated to --sizes MB of text (default 0.5, 8, 32), the ids made unique;
- a "mixed" corpus of --mixed MB of distinct articles: each one a random draw of
  sentences from the corpus's texts, so that no article is a repeat;

then times, as whole processes taking turns (A B C D, A B C D, ...), each
command on each corpus --runs times: ``geomap extract -j 1`` (one core) and
``-j N`` for each N of --jobs, flashgeotext (benchmarks/peer_flashgeotext.py,
in the Python given by --peer-python, its own venv) and the n-gram baseline
(benchmarks/peer_ngram.py). Prints, per corpus and command, the medians of CPU
seconds, wall seconds and peak memory, the throughput in MB of text per CPU
second (one core) and per wall second, and geomap's throughput as a ratio of
each peer's. Also the wall time of ``geomap extract`` on one small article in
a new process.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install flashgeotext
    python benchmarks/speed_vs_peers.py --corpus ../shared/eval/gwn.jsonl --peer-python /tmp/peers/bin/python

Targets (issue 11): one core >= 4 MB/s on distinct text and >= 2x flashgeotext
on 32 MB; --jobs 2 >= 1.7x one job; peak <= 600 MB; one small article <= 0.6 s.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _measure import measure  # noqa: E402 - beside this script

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def texts_of(corpus: Path) -> list[dict[str, str]]:
    with corpus.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_repeated(path: Path, records: list[dict[str, str]], megabytes: float) -> float:
    """The corpus over and over until it holds ``megabytes`` of text; returns the MB of text written."""
    size, rounds = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < megabytes * 1e6:
            for record in records:
                text = record["text"]
                line = {"id": f"{record['id']}-{rounds}", "title": record.get("title") or "", "text": text}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                size += len(text.encode("utf-8"))
                if size >= megabytes * 1e6:
                    break
            rounds += 1
    return size / 1e6


def write_mixed(path: Path, records: list[dict[str, str]], megabytes: float) -> float:
    """Distinct articles of 5 to 40 sentences drawn at random from all the texts."""
    sentences = [s for record in records for s in _SENTENCE_END.split(record["text"]) if len(s) > 20]
    rng = random.Random(11)
    size, n = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < megabytes * 1e6:
            text = " ".join(rng.choice(sentences) for _ in range(rng.randint(5, 40)))
            out.write(json.dumps({"id": f"mixed-{n}", "title": f"Mixed {n}", "text": text}, ensure_ascii=False) + "\n")
            size += len(text.encode("utf-8"))
            n += 1
    return size / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="JSONL with id and text (GeoWebNews)")
    parser.add_argument("--peer-python", help="a Python with flashgeotext installed (left out when not given)")
    parser.add_argument("--sizes", default="0.5,8,32", help="MB of text of the repeated corpora")
    parser.add_argument("--mixed", type=float, default=8.0, help="MB of text of the distinct-articles corpus")
    parser.add_argument("--jobs", default="2", help="worker counts to time besides -j 1")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    records = texts_of(args.corpus)
    geomap = [sys.executable, "-m", "geomap", "--quiet", "extract"]
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        out = str(work / "out.jsonl")
        corpora: dict[str, tuple[Path, float]] = {}
        for size in (float(s) for s in args.sizes.split(",")):
            path = work / f"repeated-{size:g}.jsonl"
            corpora[f"GeoWebNews repeated, {size:g} MB"] = (path, write_repeated(path, records, size))
        path = work / "mixed.jsonl"
        corpora[f"mixed distinct articles, {args.mixed:g} MB"] = (path, write_mixed(path, records, args.mixed))
        first = work / "first-pass.jsonl"  # the corpus once: every text new to the process
        total = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
        corpora["GeoWebNews once (first pass)"] = (first, write_repeated(first, records, total))
        small = work / "small.jsonl"
        small.write_text(json.dumps({"id": "s", "text": records[0]["text"][:3000]}) + "\n", encoding="utf-8")

        for label, (path, megabytes) in corpora.items():
            commands = {"geomap -j 1": [*geomap, "-j", "1", str(path), "-o", out]}
            for jobs in args.jobs.split(","):
                commands[f"geomap -j {jobs}"] = [*geomap, "-j", jobs, str(path), "-o", out]
            if args.peer_python:
                commands["flashgeotext"] = [args.peer_python, str(HERE / "peer_flashgeotext.py"), str(path), out]
            commands["n-gram popmax"] = [sys.executable, str(HERE / "peer_ngram.py"), str(path), out]
            figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, command in commands.items():  # in turn: drift hits all alike
                    figures[name].append(measure(command))
            rows = {}
            for name, runs in figures.items():
                cpu, wall, peak = (statistics.median(r[i] for r in runs) for i in range(3))
                rows[name] = {
                    "cpu_s": round(cpu, 2),
                    "wall_s": round(wall, 2),
                    "peak_mb": round(peak),
                    "mb_per_cpu_s": round(megabytes / cpu, 2),
                    "mb_per_wall_s": round(megabytes / wall, 2),
                }
            one = rows["geomap -j 1"]
            for name, row in rows.items():
                if not name.startswith("geomap"):
                    one[f"x {name} (cpu)"] = round(row["cpu_s"] / one["cpu_s"], 2)
            for name, row in rows.items():
                if name.startswith("geomap -j ") and name != "geomap -j 1":
                    row["x -j 1 (wall)"] = round(one["wall_s"] / row["wall_s"], 2)
            results[f"{label} ({megabytes:.1f} MB of text)"] = rows
            print(json.dumps({label: rows}), file=sys.stderr)
        small_runs = [measure([*geomap, "-j", "1", str(small), "-o", out])[1] for _ in range(max(3, args.runs))]
        results["one small article, new process"] = {"geomap -j 1": {"wall_s": round(statistics.median(small_runs), 2)}}
    json.dump(results, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
