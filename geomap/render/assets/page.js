/* geomap: draws the rows a page carries and sets up its controls (served with Leaflet, inlined or from assets/). */
window.geomapAddPoints = function (layer, rows) {
  rows.forEach(function (r) {
    var marker = L.circleMarker([r[0], r[1]], {radius: r[2], color: r[3], weight: 2, fill: true,
      fillColor: r[3], fillOpacity: r[4], dashArray: r[5]});
    marker.bindPopup(r[6], {maxWidth: 360});
    marker.bindTooltip(r[7]);
    layer.addLayer(marker);
  });
};
/* Countries shaded by their mentions (rows: code, tooltip, colour, polygon). */
window.geomapAddChoropleth = function (layer, rows) {
  rows.forEach(function (r) {
    var shape = L.geoJSON(r[3], {style: {color: '#7f1d1d', weight: 0.8, fillColor: r[2], fillOpacity: 0.75}});
    shape.bindTooltip(r[1]);
    layer.addLayer(shape);
  });
};
/* For a layer that starts hidden: its rows drawn when it is first shown, not while the page loads. */
function geomapWhenShown(draw) {
  return function (layer, rows) { layer.once('add', function () { draw(layer, rows); }); };
}
window.geomapAddPointsWhenShown = geomapWhenShown(window.geomapAddPoints);
window.geomapAddChoroplethWhenShown = geomapWhenShown(window.geomapAddChoropleth);
window.geomapAddRegions = function (layer, rows) {
  rows.forEach(function (r) {
    var shape = L.geoJSON(window.geomapShapes[r[0]],
      {style: {color: '#c2410c', weight: 2, fillColor: '#fb923c', fillOpacity: 0.3}});
    shape.bindPopup(r[1], {maxWidth: 360});
    shape.bindTooltip(r[2]);
    layer.addLayer(shape);
  });
};

/* The layer tree stays out of the way: folded from the start where it would not fit (its icon opens it,
   a click on the map folds it again), and folded while an open popup lies under it. */
window.geomapKeepTreeOutOfTheWay = function (map, tree) {
  var box = tree.getContainer();
  var size = map.getSize();
  var folded = box.offsetHeight > size.y * 0.6 || size.x < 640;
  if (folded) {
    tree.collapse();
    map.on('click', function () { tree.collapse(); });
  }
  var reopen = false, open = null;
  function clear() {  // the open popup, where it is now (it may have moved the map to fit)
    var popup = open && open.getElement();
    if (!popup || !box.classList.contains('leaflet-control-layers-expanded')) { return; }
    var a = box.getBoundingClientRect(), b = popup.getBoundingClientRect();
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
      tree.collapse();
      reopen = !folded;
    }
  }
  map.on('popupopen', function (e) { open = e.popup; clear(); });
  map.on('moveend', clear);
  map.on('popupclose', function () {
    open = null;
    if (reopen) { tree.expand(); reopen = false; }
  });
};

/* The page's controls: registry, attribution, legend, article filter and date slider.
   layers: article id -> {layer kind -> Leaflet layer}; config: articles, counts, dates, legend, attribution;
   tree: the layer tree control; places: the layer of every place across the articles (or null). */
window.geomapPage = function (map, layers, config, tree, places) {
  var articles = config.articles;
  window.geomap = {map: map, layers: layers, articles: articles, counts: config.counts, tree: tree, places: places};
  map.attributionControl.addAttribution(config.attribution);
  window.geomapKeepTreeOutOfTheWay(map, tree);

  if (config.title) {  // what the map shows: the corpus, or the article (text, never markup)
    var heading = L.control({position: 'topleft'});
    heading.onAdd = function () {
      var div = L.DomUtil.create('div', 'geomap-title');
      div.setAttribute('role', 'heading');
      div.setAttribute('aria-level', '1');
      div.textContent = config.title;
      return div;
    };
    heading.addTo(map);
  }

  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'geomap-legend');
    div.innerHTML = config.legend;
    return div;
  };
  legend.addTo(map);

  var filter = L.control({position: 'topright'});
  filter.onAdd = function () {
    var div = L.DomUtil.create('div', 'geomap-filter');
    var input = L.DomUtil.create('input', '', div);
    input.type = 'search';
    input.placeholder = 'Filter articles';
    input.setAttribute('aria-label', 'Filter the articles by title');
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(input, 'input', function () {
      var needle = input.value.toLowerCase();
      document.querySelectorAll('.geomap-article').forEach(function (label) {
        var node = label.closest('.leaflet-layerstree-node');
        if (node) { node.style.display = label.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none'; }
      });
    });
    return div;
  };
  filter.addTo(map);

  var dates = config.dates;
  if (dates.length > 1) {
    var slider = L.control({position: 'bottomleft'});
    slider.onAdd = function () {
      var div = L.DomUtil.create('div', 'geomap-dates');
      var label = L.DomUtil.create('div', '', div);
      // the timeline: a bar per day, as tall as the day's mentions, dimmed past the chosen day
      var timeline = L.DomUtil.create('div', 'geomap-timeline', div);
      var most = Math.max.apply(null, config.timeline.concat([1]));
      var bars = dates.map(function (date, i) {
        var bar = L.DomUtil.create('span', '', timeline);
        bar.style.height = Math.max(1, Math.round(28 * config.timeline[i] / most)) + 'px';
        bar.title = date + ': ' + config.timeline[i] + ' mentions';
        return bar;
      });
      var input = L.DomUtil.create('input', '', div);
      input.type = 'range'; input.min = 0; input.max = dates.length; input.value = dates.length;
      input.setAttribute('aria-label', 'Show the articles up to a date');
      label.textContent = 'Articles up to: all dates';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(input, 'input', function () {
        var last = Number(input.value) >= dates.length ? null : dates[Number(input.value)];
        label.textContent = 'Articles up to: ' + (last === null ? 'all dates' : last);
        bars.forEach(function (bar, i) { bar.classList.toggle('later', last !== null && dates[i] > last); });
        articles.forEach(function (article) {
          var visible = last === null || (article.date !== null && article.date <= last);
          var group = layers[article.id];
          Object.keys(group).forEach(function (kind) {
            if (visible && !map.hasLayer(group[kind])) { map.addLayer(group[kind]); }
            if (!visible && map.hasLayer(group[kind])) { map.removeLayer(group[kind]); }
          });
        });
      });
      return div;
    };
    slider.addTo(map);
  }
};
