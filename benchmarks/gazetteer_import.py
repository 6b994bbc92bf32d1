"""geomap gazetteer import at size: a generated GeoNames dump of --rows rows (zipped), imported and built.

Rows in the dump format (19 columns), most of them populated places with
alternate names, the rest other features. Measures, as processes of their
own (wall seconds and peak memory, via /usr/bin/time): the import alone
(``import_geonames``), then, with --build, the gazetteer build that takes the
import in and a `geomap geocode` in a new process on the result.

    python benchmarks/gazetteer_import.py --rows 2000000
    python benchmarks/gazetteer_import.py --rows 200000 --build
    python benchmarks/gazetteer_import.py --rows 2000000 --alternate-names 3 --build

Targets (issue 14): at least 100,000 rows/s and at most 2 GB for the import.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import zipfile
from pathlib import Path

from _measure import measure

SYLLABLES = ("ka", "zo", "lo", "ve", "ri", "do", "ny", "sh", "che", "va", "pol", "mir", "hor", "ly", "ne", "ta")


def write_dump(path: Path, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, archive.open("XX.txt", "w") as raw:
        for n in range(rows):
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            feature = "P" if rng.random() < 0.7 else rng.choice("AHSTLV")
            alternates = ",".join([name + "e", name.upper()[:4], name.lower(), name + "ivka"])
            cells = [str(20_000_000 + n), name, name, alternates, f"{rng.uniform(44, 52):.5f}",
                     f"{rng.uniform(22, 40):.5f}", feature, "PPL" if feature == "P" else "ADM3", "UA", "",
                     f"{rng.randint(1, 27):02d}", "", "", "", str(rng.choice([0, 0, 120, 800, 4000])), "", "150",
                     "Europe/Kyiv", "2024-01-01"]  # fmt: skip
            raw.write(("\t".join(cells) + "\n").encode("utf-8"))


def write_alternate_names(path: Path, rows: int, per_place: int, seed: int = 7) -> None:
    """An alternate names file in alternateNamesV2's format (10 columns) for the dump's places: ``per_place``
    names each, in the kept languages and others, some of them names the place has already."""
    rng = random.Random(seed)
    languages = ("", "en", "ru", "uk", "de", "fr", "link", "post")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, archive.open("XX.txt", "w") as raw:
        number = 0
        for n in range(rows):
            for _ in range(per_place):
                number += 1
                name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
                cells = [str(number), str(20_000_000 + n), rng.choice(languages), name, "", "", "", "", "", ""]
                raw.write(("\t".join(cells) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--build", action="store_true", help="also build the gazetteer with the import")
    parser.add_argument(
        "--alternate-names", type=int, default=0, metavar="N", help="also import an alternate names file, N per place"
    )
    args = parser.parse_args(argv)
    result: dict[str, object] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        dump = folder / "XX.zip"
        write_dump(dump, args.rows)
        result["zip_mb"] = round(dump.stat().st_size / 1e6, 1)
        env = f"import os; os.environ['GEOMAP_DATA_DIR'] = {str(folder / 'data')!r}; "
        alternates = []
        if args.alternate_names:
            names = folder / "alternatenames" / "XX.zip"
            names.parent.mkdir()
            write_alternate_names(names, args.rows, args.alternate_names)
            alternates = [str(names)]
            result["alternate_names"] = args.rows * args.alternate_names
        code = env + (
            "from geomap.gazetteer.imports import import_geonames; "
            f"import_geonames([{str(dump)!r}], alternate_names={alternates!r})"
        )
        _, wall, peak = measure([sys.executable, "-c", code])
        result.update(import_s=round(wall, 1), import_mb=round(peak), rows_per_s=round(args.rows / wall))
        if args.build:
            code = env + (
                f"from geomap.gazetteer import open_gazetteer; import os; "
                f"os.environ['GEOMAP_CACHE_DIR'] = {str(folder / 'cache')!r}; open_gazetteer()"
            )
            _, wall, peak = measure([sys.executable, "-c", code])
            result.update(build_s=round(wall, 1), build_mb=round(peak))
            geocode = env + (
                f"os.environ['GEOMAP_CACHE_DIR'] = {str(folder / 'cache')!r}; "
                "from geomap.cli import main; import sys; sys.argv = ['geomap', '-q', 'geocode', 'Sudzha']; main()"
            )
            _, wall, peak = measure([sys.executable, "-c", geocode])
            result.update(geocode_cold_s=round(wall, 2), geocode_mb=round(peak))
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
