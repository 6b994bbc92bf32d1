"""The README's picture of the seed map: geomap run on seeds/, opened in headless Chromium, saved as a PNG.

    python scripts/screenshot.py          # writes docs/seed-map.png and docs/seed-map.source

Needs Debian's chromium and chromium-driver and selenium (in the test extra);
no network (the map is written --offline and Chromium's network is blocked).
docs/seed-map.source records the SHA-256 of the index.html the picture shows:
tests/test_screenshot.py fails when the seed map changes and the picture was
not made again.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PICTURE = DOCS / "seed-map.png"
SOURCE = DOCS / "seed-map.source"
WINDOW = (1280, 800)


def seed_index(folder: Path) -> Path:
    """geomap run on the seeds, offline, into ``folder``; the index.html written."""
    from geomap import job
    from geomap.pipeline import Geoparser

    job.run([REPO / "seeds"], folder, offline=True, geoparser=Geoparser(), jobs=1)
    return folder / "index.html"


def index_digest(index: Path) -> str:
    return hashlib.sha256(index.read_bytes()).hexdigest()


def take(index: Path, picture: Path, chromium: str, chromedriver: str) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        browser.get(index.as_uri())
        for _ in range(100):  # until the page script has drawn the markers
            if browser.execute_script("return !!window.geomap"):
                break
            time.sleep(0.1)
        time.sleep(0.5)  # the fit-bounds animation
        picture.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(picture))
    finally:
        browser.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        index = seed_index(Path(folder) / "maps")
        take(index, PICTURE, args.chromium, args.chromedriver)
        SOURCE.write_text(index_digest(index) + "\n", encoding="utf-8")
    print(f"wrote {PICTURE.relative_to(REPO)} and {SOURCE.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
