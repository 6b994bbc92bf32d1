"""Helpers shared by tests (importable: tests/ is on sys.path through conftest)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from geomap import job
from geomap.gazetteer import Gazetteer
from geomap.models import Article
from geomap.pipeline import Geoparser

# An article written to break out of HTML and script contexts; no script of it may run.
HOSTILE = Article(
    id="hostile",
    title='<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned = 5"> Kyiv',
    date="2025-03-13",
    url="javascript:window.__pwned = 3",
    text='Shelling in Kyiv"><img src=x onerror="window.__pwned = 2"> and `${window.__pwned = 4}` near Sudzha.',
)


# Jinja syntax in every field an article has: none of it may be evaluated when maps are written.
# "A{% for %}B" would render as "AXXXB", "{{7*7}}" as 49, the globals as the working folder, and the
# mkdir would create a folder named "range" where the maps are built.
TEMPLATE_PAYLOADS = (
    "Seven {{7*7}} seven",
    "A{% for x in range(3) %}X{% endfor %}B",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{{ cycler.__init__.__globals__.os.mkdir(range.__name__) }}",
    "{# open comment",
    "{% open block",
    "lone {{ open",
    "{{'quoted",
    "}} closing %}",
)
EVALUATED = ("Seven 49 seven", "AXXXB")  # what the first two would turn into if evaluated
_JOINED = " ".join(TEMPLATE_PAYLOADS)


def hostile_template_articles() -> list[Article]:
    """Articles whose every field (id, title, text, url, source, summary, extra fields) carries the payloads,
    with places in the text so that popups quote the sentences."""
    return [
        Article(
            id="tpl-{{7*7}}-{%",
            title=f"Title {_JOINED} <b>bold</b>",
            date="2025-03-14",
            url="https://example.org/{{7*7}}/{%/?q=<script>",
            source=f"Source {_JOINED}",
            summary=f"Summary {_JOINED}",
            text=f"Fighting in Kyiv. {_JOINED} near Sudzha. Talks in Geneva {{{{7*7}}}} ended.",
            extra={"note": f"Extra {_JOINED}", "{{7*7}}": "{% key %}"},
        ),
        Article(  # no title: the id is the label
            id="{{ cycler.__init__.__globals__.os.getcwd() }}",
            date="2025-03-15",
            text=f"Shelling near Kharkiv. {_JOINED}",
        ),
    ]


CITIES = ("Paris", "Lyon", "Berlin", "Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Lisbon", "Oslo")


def city_articles(count: int, *, months: int = 1) -> list[Article]:
    """``count`` short articles naming two cities and Kyiv each, one a day over ``months`` months (28 days each)."""
    return [
        Article(
            id=f"a{i}",
            text=f"Reports from {CITIES[i % 10]} and {CITIES[(i + 3) % 10]} and Kyiv.",
            title=f"Story {i}",
            date=f"2025-{1 + i // 28 % months:02d}-{1 + i % 28:02d}",
        )
        for i in range(count)
    ]


def build_maps(gazetteer: Gazetteer, out: Path, articles: list[Article], *, offline: bool = True) -> list[dict]:
    """geomap run on these articles into ``out``; the mention records it wrote."""
    job.run(articles, out, offline=offline, geoparser=Geoparser(gazetteer))
    return [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]


_DECODER = json.JSONDecoder()


def page_popups(page: str) -> list[str]:
    """The popup HTML of every marker and region in a written page (decoded from the page's JSON rows),
    those of layers drawn when first shown (all places) included."""
    popups = []
    for match in re.finditer(r"geomapAdd(Points|Regions)(?:WhenShown)?\([\w]+, (?=\[)", page):
        rows, _ = _DECODER.raw_decode(page, match.end())
        popups.extend(row[6] if match.group(1) == "Points" else row[1] for row in rows)
    return popups


def visible_text(fragment: str) -> str:
    """What a browser shows of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def tree_labels(page: str) -> list[str]:
    """The labels of the layer tree, as the browser shows them."""
    return [visible_text(json.loads(m.group(1))) for m in re.finditer(r'"label": ("(?:[^"\\]|\\.)*")', page)]


def page_layers(page: str) -> dict[str, dict[str, list[str]]]:
    """What a written page draws: article id -> layer -> the places' names, in the page's order,
    read from its layer registry and the rows each layer is given."""
    names: dict[str, list[str]] = {}
    for match in re.finditer(r"geomapAdd(Points|Regions)\((\w+), (?=\[)", page):  # calls with rows, not page.js
        rows, _ = _DECODER.raw_decode(page, match.end())
        tooltips = [row[7] if match.group(1) == "Points" else row[2] for row in rows]
        names[match.group(2)] = [html.unescape(t).split(" — ")[0] for t in tooltips]
    out: dict[str, dict[str, list[str]]] = {}
    for article, body in re.findall(r'layers\[("(?:[^"\\]|\\.)*")\] = \{([^}]*)\}', page):
        layers = dict(re.findall(r'"(\w+)": (\w+),', body))
        out[json.loads(article)] = {layer: names.get(variable, []) for layer, variable in layers.items()}
    return out


def article_data(folder: Path, article_id: str) -> dict:
    """What article.html draws of one article: the data of its articles/<slug>.js (a geomapArticle call)."""
    from geomap.render import article_slug

    text = (folder / "articles" / f"{article_slug(article_id)}.js").read_text(encoding="ascii")
    assert text.startswith("geomapArticle(") and text.endswith(");\n")
    return json.loads(text[len("geomapArticle(") : -len(");\n")])


def data_popups(data: dict) -> list[str]:
    """The popup HTML of every marker and region of an article's data."""
    return [row[1] if kind == "regions" else row[6] for kind, _, rows in data["layers"] for row in rows]


def data_layers(data: dict) -> dict[str, list[str]]:
    """What an article's data draws: layer -> the places' names, in order."""
    return {
        kind: [html.unescape(row[2] if kind == "regions" else row[7]).split(" — ")[0] for row in rows]
        for kind, _, rows in data["layers"]
    }


def aggregates_of(page: str) -> dict:
    """The data of an index's layers across all articles (what geomapAggregates draws)."""
    match = re.search(r"geomapAggregates\(map_0000, \{[^}]*\}, (?=\{)", page)
    assert match, "the page has layers across the articles"
    data, _ = _DECODER.raw_decode(page, match.end())
    return data


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def offline_chromium(profile: str | Path) -> Any:
    """Headless Chromium (Debian's, through chromedriver) that cannot reach the network: every http(s) and
    websocket request is blocked, and the console and network logs are kept. The browser tests' and
    benchmarks/map_scale.py's; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    return browser
