"""A baseline for speed_vs_peers.py: plain n-gram matching against geomap's gazetteer, most populous wins.

Every run of one to three words starting with a capital letter whose folded
key is a gazetteer name is a mention (longest first, no overlaps), resolved to
the candidate with the highest prior ("popmax"), each name looked up once.
No context rules: what geomap's recogniser and resolver add is measured
against this.

    python benchmarks/peer_ngram.py corpus.jsonl out.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache

from geomap.gazetteer import name_key, open_gazetteer

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def main(source: str, target: str) -> int:
    gazetteer = open_gazetteer()
    names = gazetteer.name_index

    @cache
    def best(key: str) -> dict[str, object] | None:
        found = gazetteer.lookup(key, limit=1)
        if not found:
            return None
        place = found[0].place
        return {"place_id": place.place_id, "name": place.name, "lat": place.lat, "lon": place.lon}

    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            text = record["text"]
            words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
            i = 0
            while i < len(words):
                if not text[words[i][0]].isupper():
                    i += 1
                    continue
                for n in (3, 2, 1):
                    if i + n > len(words):
                        continue
                    surface = text[words[i][0] : words[i + n - 1][1]]
                    key = name_key(surface)
                    if key in names and (place := best(key)) is not None:
                        mention = {"id": record["id"], "start": words[i][0], "text": surface, **place}
                        out.write(json.dumps(mention, ensure_ascii=False) + "\n")
                        i += n
                        break
                else:
                    i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
