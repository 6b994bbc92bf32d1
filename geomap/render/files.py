"""Pages on disk: index.html and article.html (self-contained), and each article's data for article.html."""

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
from .digest import ARTICLE_LAYERS, MapDigest
from .elements import Raw
from .page import article_data, render_map, render_viewer

__all__ = [
    "PAGE_OUTPUTS",
    "article_href",
    "article_slug",
    "index_title",
    "write_article_data",
    "write_index",
    "write_maps",
    "write_viewer",
]

#: What write_maps puts in its folder; an earlier run's copies of these are replaced whole.
PAGE_OUTPUTS = ("index.html", "article.html", "articles")
#: What earlier versions put there too (a page per article loading assets/): removed when a run replaces them.
OLD_OUTPUTS = ("assets",)
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
    ("leaflet.heat", "leaflet-heat.js"),
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


def _html_of(fmap: folium.Map, *, title: str) -> str:
    """The page's HTML, carrying its assets; ``title`` (article text: untrusted) goes into <title> escaped."""
    figure = cast(Figure, fmap.get_root())
    figure.title = html.escape(title)  # the Figure's template puts it in as it is
    figure.header.add_child(Raw(_inline_assets()), name="geomap_assets", index=0)
    return figure.render()


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def article_href(article_id: str) -> str:
    """Where an article's map is, relative to index.html: the viewer, told which article to load."""
    return f"article.html#{article_slug(article_id)}"


def write_viewer(folder: str | Path, *, gazetteer: Gazetteer, offline: bool = False) -> Path:
    """article.html: one page for every article's map, self-contained but for the article's data."""
    page = render_viewer(gazetteer=gazetteer, offline=offline)
    return _write_text(Path(folder) / "article.html", _html_of(page, title="Article · geomap"))


def write_article_data(
    folder: str | Path, digest: MapDigest | list[dict[str, Any]], *, article_id: str, gazetteer: Gazetteer
) -> Path:
    """articles/<slug>.js: what article.html draws of one article, a script calling geomapArticle(data).

    A script, not JSON, so the viewer loads it from file:// with no server; ASCII (JSON's escapes), so
    it reads the same whatever encoding a browser assumes. Article text is only ever a JSON string in it.
    """
    digest = digest if isinstance(digest, MapDigest) else MapDigest.of(digest)
    data = json.dumps(article_data(digest, article_id, gazetteer=gazetteer), separators=(",", ":"))
    return _write_text(Path(folder) / "articles" / f"{article_slug(article_id)}.js", f"geomapArticle({data});\n")


def write_index(
    folder: str | Path, digest: MapDigest, *, gazetteer: Gazetteer, offline: bool = False, per_article: bool = True
) -> Path:
    """index.html: every article of ``digest``, self-contained, linking each article's map."""
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
    article_layers: int | None = ARTICLE_LAYERS,
) -> list[Path]:
    """Write index.html (every article, self-contained), article.html and articles/<slug>.js (one each).

    Past ``article_layers`` articles (None: no limit) the index shows the
    layers across all articles and a search instead of a branch per article.
    The pages are written aside and swapped in at the end: an error or
    interrupt leaves ``out_dir`` as it was, and pages of an earlier run never
    mix with these. Returns the paths.
    """
    out = Path(out_dir)
    digest = MapDigest.of(joined, articles)
    index = MapDigest(article_layers=article_layers)
    index.update(digest)
    with staged_folder(out, owned=PAGE_OUTPUTS + OLD_OUTPUTS) as stage:
        written = [write_index(stage, index, gazetteer=gazetteer, offline=offline, per_article=per_article)]
        if per_article and digest.articles:
            written.append(write_viewer(stage, gazetteer=gazetteer, offline=offline))
            for article in digest.article_rows():
                article_id = article["article_id"]
                page = digest.only(article_id)
                written.append(write_article_data(stage, page, article_id=article_id, gazetteer=gazetteer))
    return [out / path.relative_to(stage) for path in written]
