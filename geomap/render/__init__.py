"""Layered Leaflet maps with folium: one layer-tree branch per article, and layers across all articles.

What a map shows:

- base layers: country outlines drawn from the gazetteer (offline), and
  OpenStreetMap tiles unless ``offline=True``;
- per article (up to ARTICLE_LAYERS articles in an index), grouped by date in
  a tree layer control with a filter box: sub-layers for places (literal
  mentions and datelines), associative mentions, demonyms, and regions
  (admin units and composite regions drawn as polygons);
- in an index, the layers across all articles, drawn in the page from one
  data object: every place sized by its mentions (its popup lists the
  articles, newest first), mentions per country and per admin-1 unit, and a
  heat map; past ARTICLE_LAYERS articles these are the index, and a search
  box finds the articles;
- each article's own map in article.html, which loads the article's data
  from articles/<slug>.js (a script: works from file://), linked as
  ``article.html#<slug>``;
- markers styled by mention type, clustered when there are many; popups with
  the place, its kind, country, GeoNames link, confidence and runner-ups,
  the article's title, date, source and link, and each sentence with the
  mention highlighted;
- a legend, the view fitted to the data, and a date slider when the
  articles carry several dates.

The rooms: ``digest`` (what a map shows, kept small), ``popups`` (escaped
HTML), ``elements`` (folium's elements and ours, rendered as text), ``page``
(the maps and the article data), ``files`` (pages and data on disk), ``assets/`` (the page's own
JavaScript and CSS, shipped as files). Everything taken from an article is
HTML-escaped before it reaches the page, and strings reach scripts only as
JSON values of templates compiled once from our own source: the rendered
output is never compiled again, so template syntax in an article is text.
Element ids are numbered per page: the same input gives byte-identical HTML.
Leaflet and its plugins are inlined from the vendored npm files in
``geomap/_vendor`` (no CDN, no network).
"""

from .digest import ARTICLE_LAYERS, MapDigest
from .files import (
    PAGE_OUTPUTS,
    article_href,
    article_slug,
    index_title,
    write_article_data,
    write_index,
    write_maps,
    write_viewer,
)
from .page import article_data, render_map, render_viewer
from .popups import TYPE_STYLES

__all__ = [
    "ARTICLE_LAYERS",
    "PAGE_OUTPUTS",
    "TYPE_STYLES",
    "MapDigest",
    "article_data",
    "article_href",
    "article_slug",
    "index_title",
    "render_map",
    "render_viewer",
    "write_article_data",
    "write_index",
    "write_maps",
    "write_viewer",
]
