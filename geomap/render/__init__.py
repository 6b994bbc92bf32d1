"""Layered Leaflet maps with folium: one layer-tree branch per article.

What a map shows:

- base layers: country outlines drawn from the gazetteer (offline), and
  OpenStreetMap tiles unless ``offline=True``;
- per article, grouped by date in a tree layer control with a filter box:
  sub-layers for places (literal mentions and datelines), associative
  mentions, demonyms, and regions (admin units and composite regions drawn
  as polygons);
- markers styled by mention type, clustered when there are many; popups with
  the place, its kind, country, GeoNames link, confidence and runner-ups,
  the article's title, date, source and link, and each sentence with the
  mention highlighted;
- a legend, the view fitted to the data, and a date slider when the
  articles carry several dates.

The rooms: ``digest`` (what a map shows, kept small), ``popups`` (escaped
HTML), ``elements`` (folium's elements and ours, rendered as text), ``page``
(the map), ``files`` (pages and assets on disk), ``assets/`` (the page's own
JavaScript and CSS, shipped as files). Everything taken from an article is
HTML-escaped before it reaches the page, and strings reach scripts only as
JSON values of templates compiled once from our own source: the rendered
output is never compiled again, so template syntax in an article is text.
Element ids are numbered per page: the same input gives byte-identical HTML.
Leaflet and its plugins are inlined from the vendored npm files in
``geomap/_vendor`` (no CDN, no network).
"""

from .digest import MapDigest
from .files import (
    ASSET_FILES,
    PAGE_OUTPUTS,
    article_href,
    article_slug,
    write_article_page,
    write_index,
    write_maps,
    write_shared_assets,
)
from .page import render_map
from .popups import TYPE_STYLES

__all__ = [
    "ASSET_FILES",
    "PAGE_OUTPUTS",
    "TYPE_STYLES",
    "MapDigest",
    "article_href",
    "article_slug",
    "render_map",
    "write_article_page",
    "write_index",
    "write_maps",
    "write_shared_assets",
]
