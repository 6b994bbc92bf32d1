"""The page's elements: folium's and geomap's own, each rendered as text, never compiled again.

Article text reaches the page only as values (JSON) of templates written here:
see :class:`Literal` for why branca's own rendering would evaluate it.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.map import FitBounds
from folium.plugins import FeatureGroupSubGroup, MarkerCluster, TreeLayerControl
from folium.template import Template as FoliumTemplate
from jinja2 import Template

__all__ = [
    "Aggregates",
    "Cluster",
    "FeatureGroup",
    "FitBoundsElement",
    "Literal",
    "Map",
    "Outlines",
    "PageScript",
    "Raw",
    "Rows",
    "Shapes",
    "SubGroup",
    "Tiles",
    "TreeControl",
    "Viewer",
    "numbered_ids",
]


class Raw(Element):
    """Text put into the page as it is (trusted: vendored assets, our own code)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


# Element ids numbered per page (see numbered_ids), so the same input gives the same HTML.
_page_ids: ContextVar[Iterator[int] | None] = ContextVar("geomap_page_ids", default=None)


@contextlib.contextmanager
def numbered_ids() -> Iterator[None]:
    token = _page_ids.set(itertools.count())
    try:
        yield
    finally:
        _page_ids.reset(token)


class Literal(MacroElement):
    """A MacroElement whose rendered output goes into the page as text, never as a template.

    branca's ``MacroElement.render`` wraps each rendered macro in ``Element(text)``,
    and ``Element`` compiles that text as a new Jinja template: article titles,
    sentences and URLs, already in the output as JSON values, would be evaluated
    as template code when the page is written (``{{7*7}}`` became 49; a payload
    reached ``os``). Here each macro is rendered once from our own template and
    the result is kept as it is. Every element geomap puts on a page is one of
    these; element ids come from a per-page counter, so pages are reproducible.
    """

    @classmethod
    def _generate_id(cls) -> str:
        ids = _page_ids.get()
        return super()._generate_id() if ids is None else f"{next(ids):04d}"

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""  # the output went into the figure's parts


class _NoCDN:
    """First among a folium element's bases: no CDN links (the page carries Leaflet and the plugins itself)."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium reads these class attributes
    default_css: list[tuple[str, str]] = []  # noqa: RUF012


# folium's elements, rendered as text and linking no CDN.
class Map(_NoCDN, folium.Map, Literal):
    pass


class FeatureGroup(folium.FeatureGroup, Literal):
    pass


class SubGroup(_NoCDN, FeatureGroupSubGroup, Literal):
    pass


class Cluster(_NoCDN, MarkerCluster, Literal):
    pass


class Tiles(folium.TileLayer, Literal):
    pass


class TreeControl(_NoCDN, TreeLayerControl, Literal):
    """folium's layer tree, kept in a variable of its own name (page.js folds it out of a popup's way)."""

    _template = FoliumTemplate(  # folium's: it has the tojavascript filter
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.control.layers.tree("
        "{{ this.base_tree|tojavascript }}, {{ this.overlay_tree|tojavascript }}, {{ this.options|tojavascript }}"
        ").addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


class FitBoundsElement(FitBounds, Literal):
    pass


class Outlines(Literal):
    """Country outlines, inline GeoJSON."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, "
        "{style: {color: '#777', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1}, interactive: false}"
        ").addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.data = data


class Shapes(Literal):
    """Each region's polygon once per page, however many articles draw it."""

    _template = Template(
        "{% macro script(this, kwargs) %}window.geomapShapes = {{ this.shapes|tojson }};{% endmacro %}"
    )

    def __init__(self, shapes: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.shapes = shapes


class Rows(Literal):
    """A layer's markers or regions as one JSON array, drawn in the page by one of page.js's functions
    (``geomapAddPoints``, ``geomapAddRegions``): fast to write, small to load."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.function }}({{ this._parent.get_name() }}, {{ this.rows|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, function: str, rows: list[list[Any]]) -> None:
        super().__init__()
        self.function = function  # ours, never article text
        self.rows = rows


class PageScript(Literal):
    """The page's controls (see assets/page.js): the layer registry, attribution, legend, filter, slider."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var layers = {};
  {% for article_id, group in this.layers.items() %}
  layers[{{ article_id|tojson }}] = {
    {% for kind, layer in group.items() %}{{ kind|tojson }}: {{ layer }},{% endfor %}
  };
  {% endfor %}
  geomapPage({{ this._parent.get_name() }}, layers, {{ this.config|tojson }}, {{ this.tree }}, {{ this.aggregates }});
})();
{% endmacro %}
"""
    )

    def __init__(
        self, *, layers: dict[str, dict[str, str]], config: dict[str, Any], tree: str, aggregates: str = "null"
    ) -> None:
        super().__init__()
        self.layers = layers
        self.config = config
        self.tree = tree  # the layer tree control's JavaScript name
        self.aggregates = aggregates  # the layers across all articles (an Aggregates' name), or null


class Aggregates(Literal):
    """The layers across all articles, drawn by page.js's geomapAggregates from one data object."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = geomapAggregates({{ this._parent.get_name() }}, "
        "{ {% for key, layer in this.layers.items() %}{{ key|tojson }}: {{ layer }}, {% endfor %} }, "
        "{{ this.data|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, *, layers: dict[str, str], data: dict[str, Any]) -> None:
        super().__init__()
        self.layers = layers  # our layers' JavaScript names
        self.data = data


class Viewer(Literal):
    """article.html's script: page.js's geomapViewer loads the article its address names."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geomapViewer({{ this._parent.get_name() }}, {outlines: {{ this.outlines }}, tiles: {{ this.tiles }}}, "
        "{{ this.config|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, *, outlines: str, tiles: str, config: dict[str, Any]) -> None:
        super().__init__()
        self.outlines, self.tiles = outlines, tiles  # the base layers' JavaScript names
        self.config = config
