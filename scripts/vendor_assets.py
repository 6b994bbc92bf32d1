"""Copy the Leaflet files geomap inlines into its maps from their npm packages.

    python scripts/vendor_assets.py            # npm packages go to a temp folder

The files land in geomap/_vendor/<package>/ with the package's licence; see
geomap/_vendor/README.md. Run it again to upgrade, after changing PACKAGES.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "geomap" / "_vendor"

# package -> (version, files to keep, relative to the package folder)
PACKAGES = {
    "leaflet": (
        "1.9.4",
        [
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
            "LICENSE",
        ],
    ),
    "leaflet.markercluster": (
        "1.5.3",
        [
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
            "MIT-LICENCE.txt",
        ],
    ),
    "leaflet.featuregroup.subgroup": ("1.0.2", ["dist/leaflet.featuregroup.subgroup.js", "LICENSE"]),
    "leaflet.control.layers.tree": ("1.1.0", ["L.Control.Layers.Tree.js", "L.Control.Layers.Tree.css", "LICENSE"]),
    "leaflet.heat": ("0.2.0", ["dist/leaflet-heat.js", "LICENSE"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-dir", type=Path, help="reuse this npm prefix")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = args.npm_dir or Path(tmp)
        specs = [f"{name}@{version}" for name, (version, _) in PACKAGES.items()]
        subprocess.run(["npm", "install", "--silent", "--no-save", "--prefix", str(prefix), *specs], check=True)
        for name, (_, files) in PACKAGES.items():
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            for relative in files:
                source = prefix / "node_modules" / name / relative
                destination = (
                    target / Path(relative).name
                    if "images/" not in relative
                    else target / "images" / Path(relative).name
                )
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    return 0


if __name__ == "__main__":
    sys.exit(main())
