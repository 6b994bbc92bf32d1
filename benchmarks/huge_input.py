"""Real input at real size: one huge article, and many articles, through geomap extract and run.

Builds, in a temporary folder, from a corpus's texts (GeoWebNews, or the bundled
seeds when none is given):

- one article of --megabytes MB (default 50): the texts one after another, each
  paragraph opening with a dateline line ("MOSCOW:", "KYIV, Ukraine —"), as a
  dump of a whole wire feed saved as one "article" looks;
- corpora of 1,000 and --articles (default 10,000) articles.

Each command runs as its own process; the figures are its wall seconds and
peak RSS (from the kernel's accounting of that process), medians of --runs.

    python benchmarks/huge_input.py --corpus ../shared/eval/gwn.jsonl --runs 3

Targets (issue 9): the 50 MB article in at most 60 s and 2 GB; extract's peak
memory the same for 1,000 and 10,000 articles.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _measure import measure  # noqa: E402 - beside this script

DATELINES = ("MOSCOW:", "KYIV, Ukraine —", "BEIRUT (AP) —", "WASHINGTON:", "PARIS (Reuters) -", "LONDON:")


def corpus_texts(corpus: Path | None) -> list[str]:
    if corpus is not None:
        with corpus.open(encoding="utf-8") as handle:
            return [json.loads(line)["text"] for line in handle if line.strip()]
    sys.path.insert(0, str(HERE.parent))
    from geomap.ingest import read_articles

    return [article.text for article in read_articles([HERE.parent / "seeds"])]


def write_one_article(path: Path, texts: list[str], megabytes: float) -> None:
    rng = random.Random(1)
    parts, size, i = [], 0, 0
    while size < megabytes * 1e6:
        paragraph = f"{rng.choice(DATELINES)} {texts[i % len(texts)]}"
        parts.append(paragraph)
        size += len(paragraph) + 2
        i += 1
    record = {"id": "feed", "title": "A whole feed as one article", "text": "\n\n".join(parts)}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def write_articles(path: Path, texts: list[str], count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            record = {
                "id": f"a{i}",
                "title": f"Story {i}",
                "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "text": texts[i % len(texts)],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="JSONL with a text field (default: the seeds)")
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    texts = corpus_texts(args.corpus)
    geomap = [sys.executable, "-m", "geomap", "--quiet"]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        one = work / "one.jsonl"
        write_one_article(one, texts, args.megabytes)
        inputs = {f"one article, {args.megabytes:g} MB": one}
        for count in sorted({1_000, args.articles}):
            path = work / f"articles-{count}.jsonl"
            write_articles(path, texts, count)
            inputs[f"{count:,} articles"] = path
        for label, path in inputs.items():
            for job in ("extract", "run"):
                output = (
                    ["-o", str(work / "out.jsonl")] if job == "extract" else ["-o", str(work / "maps"), "--offline"]
                )
                figures = [measure([*geomap, job, str(path), *output], ok=(0, 3))[1:] for _ in range(args.runs)]
                results[f"{label}: {job}"] = {
                    "input_mb": round(path.stat().st_size / 1e6, 1),
                    "seconds_median": round(statistics.median(f[0] for f in figures), 1),
                    "seconds": [round(f[0], 1) for f in figures],
                    "peak_mb_median": round(statistics.median(f[1] for f in figures)),
                    "peak_mb": [round(f[1]) for f in figures],
                }
                print(json.dumps({label + ": " + job: results[f"{label}: {job}"]}), file=sys.stderr)
    json.dump(results, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
