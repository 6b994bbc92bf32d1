"""Pages on disk: index.html (self-contained), one page per article, and the assets they share."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import folium
import pandas as pd
from branca.element import Figure

from .._io import staged_folder
from ..gazetteer import Gazetteer
from .digest import MapDigest
from .elements import Raw
from .page import OUTLINE_TOLERANCE, country_outlines, render_map

__all__ = [
    "ASSET_FILES",
    "PAGE_OUTPUTS",
    "article_href",
    "article_slug",
    "write_article_page",
    "write_index",
    "write_maps",
    "write_shared_assets",
]

#: What article pages load from assets/ beside them.
ASSET_FILES = ("geomap.css", "geomap.js", "outlines.js")
#: What write_maps puts in its folder; an earlier run's copies of these are replaced whole.
PAGE_OUTPUTS = ("index.html", "articles", "assets")
# Leaflet and its plugins, vendored from npm (geomap/_vendor, with their licences), in load order.
_VENDOR = (
    ("leaflet", "leaflet.css"),
    ("leaflet", "leaflet.js"),
    ("leaflet.markercluster", "MarkerCluster.css"),
    ("leaflet.markercluster", "MarkerCluster.Default.css"),
    ("leaflet.markercluster", "leaflet.markercluster.js"),
    ("leaflet.featuregroup.subgroup", "leaflet.featuregroup.subgroup.js"),
    ("leaflet.control.layers.tree", "L.Control.Layers.Tree.css"),
    ("leaflet.control.layers.tree", "L.Control.Layers.Tree.js"),
)


def article_slug(article_id: str) -> str:
    """A file name for an article's page: readable, safe, and unique by a short hash."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", str(article_id)).strip("-.")[:60] or "article"
    digest = hashlib.sha1(str(article_id).encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


@lru_cache(maxsize=1)
def _asset_parts() -> tuple[tuple[str, str], ...]:
    """("css" or "js", text) of Leaflet, its plugins and the page's own files, in load order; images as data URIs."""
    vendor = resources.files("geomap") / "_vendor"
    parts = []
    for package, name in _VENDOR:
        text = (vendor / package / name).read_text(encoding="utf-8")
        text = re.sub(r"//# sourceMappingURL=\S+", "", text)
        if name.endswith(".css"):

            def data_uri(match: re.Match[str], package: str = package) -> str:
                image = (vendor / package / match.group(1)).read_bytes()
                return f"url(data:image/png;base64,{base64.b64encode(image).decode()})"

            parts.append(("css", re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, text)))
        else:
            parts.append(("js", text))
    own = resources.files(__package__) / "assets"
    parts.append(("css", (own / "page.css").read_text(encoding="utf-8")))
    parts.append(("js", (own / "page.js").read_text(encoding="utf-8")))
    return tuple(parts)


@lru_cache(maxsize=1)
def _inline_assets() -> str:
    """The assets as <style> and <script> blocks, for a self-contained page."""
    return "\n".join(
        f"<style>{text}</style>" if kind == "css" else f"<script>{text}</script>" for kind, text in _asset_parts()
    )


def _html_of(fmap: folium.Map, *, title: str, shared_assets: str | None = None) -> str:
    """The page's HTML; ``title`` (article text: untrusted) goes into <title> escaped, as a value."""
    if shared_assets:  # an article page: the files beside it
        assets = (
            f'<link rel="stylesheet" href="{shared_assets}geomap.css">'
            f'<script src="{shared_assets}geomap.js"></script>'
            f'<script src="{shared_assets}outlines.js"></script>'
        )
    else:
        assets = _inline_assets()
    figure = cast(Figure, fmap.get_root())
    figure.title = html.escape(title)  # the Figure's template puts it in as it is
    figure.header.add_child(Raw(assets), name="geomap_assets", index=0)
    return figure.render()


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def article_href(article_id: str) -> str:
    """Where an article's page lives, relative to index.html."""
    return f"articles/{article_slug(article_id)}.html"


def write_shared_assets(folder: str | Path, gazetteer: Gazetteer) -> list[Path]:
    """assets/geomap.css, geomap.js (the vendored files, concatenated) and outlines.js, for article pages."""
    css = "\n".join(text for kind, text in _asset_parts() if kind == "css")
    js = "\n;\n".join(text for kind, text in _asset_parts() if kind == "js")
    outlines = json.dumps(country_outlines(gazetteer, OUTLINE_TOLERANCE), separators=(",", ":"))
    files = {"geomap.css": css, "geomap.js": js, "outlines.js": f"window.GEOMAP_OUTLINES = {outlines};"}
    return [_write_text(Path(folder) / "assets" / name, text) for name, text in files.items()]


def write_article_page(
    folder: str | Path,
    digest: MapDigest | list[dict[str, Any]],
    *,
    article_id: str,
    gazetteer: Gazetteer,
    offline: bool = False,
) -> Path:
    """articles/<slug>.html: one article's map, loading Leaflet and the outlines from assets/."""
    digest = digest if isinstance(digest, MapDigest) else MapDigest.of(digest)
    title = str(digest.articles.get(article_id, {}).get("title") or article_id)
    page = render_map(digest, gazetteer=gazetteer, offline=offline, shared_assets="../assets/", title=title)
    html_text = _html_of(page, title=f"{title} · geomap", shared_assets="../assets/")
    return _write_text(Path(folder) / article_href(article_id), html_text)


def write_index(
    folder: str | Path, digest: MapDigest, *, gazetteer: Gazetteer, offline: bool = False, per_article: bool = True
) -> Path:
    """index.html: every article of ``digest``, self-contained, linking each article's page."""
    rows = digest.article_rows()
    hrefs = {a["article_id"]: article_href(a["article_id"]) for a in rows} if per_article else {}
    title = index_title(digest)
    index = render_map(digest, gazetteer=gazetteer, offline=offline, article_hrefs=hrefs, title=title)
    return _write_text(Path(folder) / "index.html", _html_of(index, title=title))


def index_title(digest: MapDigest) -> str:
    """What the index page is called: "geomap: 1,200 articles, 2025-03-01 to 2025-03-12"."""
    count = len(digest.articles)
    named = f"geomap: {count:,} article{'' if count == 1 else 's'}"
    dates = sorted(a["date"] for a in digest.articles.values() if a.get("date"))
    if not dates:
        return named
    return f"{named}, {dates[0]}" if dates[0] == dates[-1] else f"{named}, {dates[0]} to {dates[-1]}"


def write_maps(
    joined: pd.DataFrame | list[dict[str, Any]],
    out_dir: str | Path,
    *,
    gazetteer: Gazetteer,
    articles: pd.DataFrame | list[dict[str, Any]] | None = None,
    offline: bool = False,
    per_article: bool = True,
) -> list[Path]:
    """Write index.html (every article, self-contained) and articles/<slug>.html (one each).

    Article pages load Leaflet and the outlines from ``assets/`` beside them,
    written once. The pages are written aside and swapped in at the end: an
    error or interrupt leaves ``out_dir`` as it was, and pages of an earlier
    run never mix with these. Returns the paths.
    """
    out = Path(out_dir)
    digest = MapDigest.of(joined, articles)
    with staged_folder(out, owned=PAGE_OUTPUTS) as stage:
        written = [write_index(stage, digest, gazetteer=gazetteer, offline=offline, per_article=per_article)]
        if per_article and digest.articles:
            written.extend(write_shared_assets(stage, gazetteer))
            for article in digest.article_rows():
                article_id = article["article_id"]
                page = digest.only(article_id)
                written.append(
                    write_article_page(stage, page, article_id=article_id, gazetteer=gazetteer, offline=offline)
                )
    return [out / path.relative_to(stage) for path in written]
