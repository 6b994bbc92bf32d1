"""What a marker says: popups, tooltips' text and the legend, as escaped HTML.

Everything taken from an article is escaped here, before it becomes a value
of the page's script; only http(s) links from articles become links.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from .digest import Group

__all__ = ["TYPE_STYLES", "legend_html", "place_heading_html", "popup_html"]

#: Marker style per layer: (colour, fill opacity, dash pattern).
TYPE_STYLES = {
    "places": ("#1f5fbf", 0.8, None),
    "dateline": ("#7b2cbf", 0.9, None),
    "associative": ("#d97706", 0.35, "4 3"),
    "demonyms": ("#6b7280", 0.25, "2 3"),
}


def safe_url(url: Any) -> str | None:
    """Only http(s) links: a 'javascript:' URL from an article must not become a link."""
    if not isinstance(url, str):
        return None
    return url if urlparse(url.strip()).scheme in ("http", "https") else None


def highlighted(sentence: str, text: str, offset: int | None) -> str:
    """The sentence, escaped, with the mention marked."""
    if offset is None or offset < 0 or sentence[offset : offset + len(text)] != text:
        offset = sentence.find(text)
    if offset < 0:
        return html.escape(sentence)
    before, mention, after = sentence[:offset], sentence[offset : offset + len(text)], sentence[offset + len(text) :]
    return f"{html.escape(before)}<mark>{html.escape(mention)}</mark>{html.escape(after)}"


def popup_html(group: Group, *, article: Mapping[str, Any], article_href: str | None) -> str:
    place = group.place
    esc = html.escape
    name, kind, country = place["name"], place["kind"], place["country_code"]
    parts = [f"<div class='geomap-popup'><h4>{esc(str(name))}</h4>"]
    meta = ", ".join(esc(str(v)) for v in (kind and kind.replace("_", " "), country) if v)
    parts.append(f"<div class='meta'>{meta}</div>")
    geonameid = place["geonameid"]
    if geonameid is not None:
        gid = int(geonameid)
        link = f"<a href='https://www.geonames.org/{gid}' target='_blank' rel='noopener'>{gid}</a>"
        parts.append(f"<div>GeoNames {link}</div>")
    parts.append(f"<div>Confidence {group.confidence:.2f}</div>")
    alternatives = place["alternatives"] or []
    if isinstance(alternatives, str):
        alternatives = json.loads(alternatives)
    if alternatives:
        listed = "; ".join(
            f"{esc(str(a.get('name')))} ({esc(str(a.get('country_code') or ''))}, "
            f"{float(a.get('probability') or 0):.2f})"
            for a in alternatives
        )
        parts.append(f"<div class='meta'>Or: {listed}</div>")
    title = article["title"] or article["article_id"]
    url = safe_url(article["url"])
    byline = "".join(f" · {esc(str(value))}" for value in (article["date"], article["source"]) if value)
    parts.append(f"<hr><div><b>{esc(str(title))}</b>{byline}</div>")
    links = []
    if url:
        links.append(f"<a href='{esc(url, quote=True)}' target='_blank' rel='noopener noreferrer'>source</a>")
    if article_href:
        links.append(f"<a href='{esc(article_href, quote=True)}'>article map</a>")
    if links:
        parts.append(f"<div>{' · '.join(links)}</div>")
    items = []
    for text, sentence, offset, kind_of_mention in group.quotes:
        label = "" if kind_of_mention == "literal" else f" <i>({esc(str(kind_of_mention))})</i>"
        items.append(f"<li>{highlighted(sentence, text, offset)}{label}</li>")
    if group.count > len(group.quotes):
        items.append(f"<li>… {group.count - len(group.quotes)} more</li>")
    parts.append(f"<ul>{''.join(items)}</ul></div>")
    return "".join(parts)


def place_heading_html(place: Mapping[str, Any]) -> str:
    """A place's name and kind, the head of its popup in the layers across all articles (page.js adds the
    counts and the articles that name it, as text)."""
    esc = html.escape
    meta = ", ".join(
        esc(str(v)) for v in (place["kind"] and place["kind"].replace("_", " "), place["country_code"]) if v
    )
    return f"<h4>{esc(str(place['name']))}</h4><div class='meta'>{meta}</div>"


def legend_html() -> str:
    items = [
        ("places", "Place (literal)"),
        ("dateline", "Dateline"),
        ("associative", "Associative (place stands for its people)"),
        ("demonyms", "Demonym"),
    ]
    lines = []
    for key, label in items:
        color, opacity, _ = TYPE_STYLES[key]
        lines.append(
            f"<div><i style='border-color:{color};background:{color}{int(opacity * 255):02x}'></i>{label}</div>"
        )
    lines.append("<div><i class='region' style='border-color:#c2410c;background:#fb923c55'></i>Region (polygon)</div>")
    return "".join(lines)
