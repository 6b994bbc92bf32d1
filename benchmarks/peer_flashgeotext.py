"""A peer for speed_vs_peers.py: flashgeotext over a JSONL corpus, one result line per article.

Runs in a Python that has flashgeotext installed (its own venv: it is no
dependency of geomap):

    python benchmarks/peer_flashgeotext.py corpus.jsonl out.jsonl
"""

from __future__ import annotations

import json
import sys

from flashgeotext.geotext import GeoText


def main(source: str, target: str) -> int:
    geotext = GeoText()  # its bundled lookup of cities and countries
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            found = geotext.extract(input_text=record["text"], span_info=True)
            out.write(json.dumps({"id": record["id"], "found": found}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
