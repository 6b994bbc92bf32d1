/* geomap: draws the rows a page carries and sets up its controls (inlined into each page with Leaflet). */
window.geomapAddPoints = function (layer, rows) {
  rows.forEach(function (r) {
    var marker = L.circleMarker([r[0], r[1]], {radius: r[2], color: r[3], weight: 2, fill: true,
      fillColor: r[3], fillOpacity: r[4], dashArray: r[5]});
    marker.bindPopup(r[6], {maxWidth: 360});
    marker.bindTooltip(r[7]);
    layer.addLayer(marker);
  });
};
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

/* The layers across all articles, drawn from one data object (see page.py, _aggregates):
   data.articles: [title (text), date, link] per article, in date order;
   data.places: [lat, lon, popup heading (escaped HTML), tooltip name (escaped), country code, admin-1 key,
                 [article index, mentions, article index, mentions, ...]];
   data.countries, data.admin1: [key, name (escaped), polygon];
   layers: {places, countries, admin1, heat}: the (empty) groups to draw into, each when first shown.
   Counts follow the articles shown (the date slider): show(predicate) recounts and redraws. */
window.geomapAggregates = function (map, layers, data) {
  var articles = data.articles, places = data.places;
  var shown = articles.map(function () { return true; });
  var totals = new Array(places.length), perCountry = {}, perAdmin1 = {};
  var renderer = L.canvas({padding: 0.5});
  var markers = null, shapes = {countries: null, admin1: null}, heat = null;
  var classes = ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];  // ColorBrewer Reds, light to dark

  function count() {
    perCountry = {}; perAdmin1 = {};
    for (var i = 0; i < places.length; i++) {
      var pairs = places[i][6], n = 0;
      for (var j = 0; j < pairs.length; j += 2) { if (shown[pairs[j]]) { n += pairs[j + 1]; } }
      totals[i] = n;
      if (!n) { continue; }
      if (places[i][4]) { perCountry[places[i][4]] = (perCountry[places[i][4]] || 0) + n; }
      if (places[i][5]) { perAdmin1[places[i][5]] = (perAdmin1[places[i][5]] || 0) + n; }
    }
  }
  function radius(n) { return Math.min(30, 4 + 3 * Math.sqrt(n)); }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function popup(i) {  // the place, then the shown articles that name it, newest first (their text as text)
    var div = L.DomUtil.create('div', 'geomap-popup');
    div.innerHTML = places[i][2];
    var pairs = places[i][6], listed = [];
    for (var j = pairs.length - 2; j >= 0; j -= 2) { if (shown[pairs[j]]) { listed.push(pairs[j]); } }
    L.DomUtil.create('div', '', div).textContent =
      plural(totals[i], 'mention') + ' in ' + plural(listed.length, 'article');
    var list = L.DomUtil.create('ul', '', div);
    listed.slice(0, 20).forEach(function (a) { window.geomapArticleItem(list, articles[a]); });
    if (listed.length > 20) { L.DomUtil.create('li', '', list).textContent = '… ' + (listed.length - 20) + ' more'; }
    return div;
  }
  function drawPlaces() {
    var order = places.map(function (_, i) { return i; });
    order.sort(function (a, b) { return totals[b] - totals[a]; });  // the small drawn last, on top
    markers = new Array(places.length);
    order.forEach(function (i) {
      var p = places[i];
      var marker = L.circleMarker([p[0], p[1]], {renderer: renderer, radius: radius(totals[i]), color: '#0f766e',
        weight: 2, fillColor: '#0f766e', fillOpacity: 0.55});
      marker.bindPopup(function () { return popup(i); }, {maxWidth: 360});
      marker.bindTooltip(function () { return p[3] + ': ' + plural(totals[i], 'mention'); });
      markers[i] = marker;
      if (totals[i]) { layers.places.addLayer(marker); }
    });
  }
  function shade(n, most) {
    return classes[Math.min(classes.length - 1, Math.floor(Math.log1p(n) / Math.log1p(most) * classes.length))];
  }
  function countsOf(which) { return which === 'countries' ? perCountry : perAdmin1; }
  function drawShapes(which) {
    shapes[which] = data[which].map(function (row) {
      var shape = L.geoJSON(row[2], {style: {color: '#7f1d1d', weight: 0.8, fillOpacity: 0.75}});
      shape.bindTooltip(function () { return row[1] + ': ' + plural(countsOf(which)[row[0]] || 0, 'mention'); });
      return shape;
    });
    restyle(which);
  }
  function restyle(which) {
    var counts = countsOf(which);
    var most = Math.max.apply(null, Object.keys(counts).map(function (k) { return counts[k]; }).concat([1]));
    data[which].forEach(function (row, i) {
      var n = counts[row[0]] || 0, shape = shapes[which][i];
      if (n) {
        shape.setStyle({fillColor: shade(n, most)});
        layers[which].addLayer(shape);
      } else {
        layers[which].removeLayer(shape);
      }
    });
  }
  function drawHeat() {
    var points = [], most = Math.max.apply(null, totals.concat([1]));
    for (var i = 0; i < places.length; i++) {
      if (totals[i]) { points.push([places[i][0], places[i][1], Math.sqrt(totals[i] / most)]); }
    }
    if (heat) { heat.setLatLngs(points); } else { heat = L.heatLayer(points, {radius: 18, blur: 15, minOpacity: 0.3}); }
    layers.heat.addLayer(heat);
  }

  count();
  if (layers.places) {
    if (map.hasLayer(layers.places)) { drawPlaces(); } else { layers.places.once('add', drawPlaces); }
  }
  ['countries', 'admin1'].forEach(function (which) {
    if (layers[which]) { layers[which].once('add', function () { drawShapes(which); }); }
  });
  if (layers.heat) { layers.heat.once('add', drawHeat); }

  return {
    layers: layers,
    articles: articles,
    totals: totals,
    perCountry: function () { return perCountry; },
    perAdmin1: function () { return perAdmin1; },
    /* Count only the articles for which keep(index) holds, and redraw what is drawn. */
    show: function (keep) {
      shown = articles.map(function (_, a) { return !!keep(a); });
      count();
      if (markers) {
        markers.forEach(function (marker, i) {
          if (totals[i]) { marker.setRadius(radius(totals[i])); layers.places.addLayer(marker); }
          else { layers.places.removeLayer(marker); }
        });
      }
      if (shapes.countries) { restyle('countries'); }
      if (shapes.admin1) { restyle('admin1'); }
      if (heat) { drawHeat(); }
    }
  };
};

/* The page's controls: registry, attribution, legend, article filter and date slider.
   layers: article id -> {layer kind -> Leaflet layer} (none past the index's article limit); config: articles
   (those with layers), counts, dates, timeline, legend, attribution, title; tree: the layer tree control;
   aggregates: what geomapAggregates made (the layers across all articles), or null. */
window.geomapPage = function (map, layers, config, tree, aggregates) {
  var articles = config.articles;
  window.geomap = {map: map, layers: layers, articles: articles, counts: config.counts, tree: tree,
    aggregates: aggregates, places: aggregates && aggregates.layers.places};
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

  // The filter: hides the tree's articles that do not match; past the tree's limit, lists the articles
  // that match (links to their pages), as a search.
  var filter = L.control({position: 'topright'});
  filter.onAdd = function () {
    var div = L.DomUtil.create('div', 'geomap-filter');
    var input = L.DomUtil.create('input', '', div);
    input.type = 'search';
    input.placeholder = config.search ? 'Search ' + config.search + ' articles' : 'Filter articles';
    input.setAttribute('aria-label', config.search ? 'Search the articles by title' : 'Filter the articles by title');
    var found = config.search ? L.DomUtil.create('ul', 'geomap-found', div) : null;
    if (found) { found.setAttribute('aria-live', 'polite'); }
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    L.DomEvent.on(input, 'input', function () {
      var needle = input.value.toLowerCase();
      document.querySelectorAll('.geomap-article').forEach(function (label) {
        var node = label.closest('.leaflet-layerstree-node');
        if (node) { node.style.display = label.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none'; }
      });
      if (found) { window.geomapSearch(found, aggregates.articles, needle); }
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
        function visible(date) { return last === null || (date !== null && date <= last); }
        articles.forEach(function (article) {
          var group = layers[article.id], shown = visible(article.date);
          Object.keys(group).forEach(function (kind) {
            if (shown && !map.hasLayer(group[kind])) { map.addLayer(group[kind]); }
            if (!shown && map.hasLayer(group[kind])) { map.removeLayer(group[kind]); }
          });
        });
        if (aggregates) { aggregates.show(function (a) { return visible(aggregates.articles[a][1]); }); }
      });
      return div;
    };
    slider.addTo(map);
  }
};

/* An article as an item of a list: its title (text, never markup), linked to its map, and its date. */
window.geomapArticleItem = function (list, article) {
  var item = L.DomUtil.create('li', '', list);
  var title = article[2] ? L.DomUtil.create('a', '', item) : L.DomUtil.create('span', '', item);
  title.textContent = article[0];
  if (article[2]) { title.href = article[2]; }
  if (article[1]) { item.appendChild(document.createTextNode(' · ' + article[1])); }
};

/* The articles whose title holds needle (two letters or more), as links to their pages: the first 50. */
window.geomapSearch = function (list, articles, needle) {
  list.textContent = '';
  if (needle.length < 2) { return; }
  var hits = 0;
  for (var a = articles.length - 1; a >= 0 && hits < 50; a--) {  // newest first
    var article = articles[a];
    if (String(article[0]).toLowerCase().indexOf(needle) < 0) { continue; }
    window.geomapArticleItem(list, article);
    hits++;
  }
  if (!hits) { L.DomUtil.create('li', '', list).textContent = 'No article matches'; }
};

/* article.html: one article's map. Its data come from articles/<slug>.js, a script (so the page works
   from file:// with no server) that calls geomapArticle(data) with, as page.py's article_data makes them:
   title (text), node (the tree label, escaped), layers: [kind, label (escaped), rows], cluster, shapes,
   bounds, page (geomapPage's config but legend and attribution).
   base: {outlines, tiles (or null)}; config: legend, attribution, tree symbols. */
window.geomapViewer = function (map, base, config) {
  var slug = decodeURIComponent(location.hash.slice(1));
  window.addEventListener('hashchange', function () { location.reload(); });
  var baseTree = {label: 'Base map', children: [{label: 'Country outlines (offline)', layer: base.outlines}]};
  if (base.tiles) { baseTree.children.push({label: 'OpenStreetMap (online)', layer: base.tiles}); }

  function show(overlays, page, byArticle) {
    var tree = L.control.layers.tree(baseTree, overlays, {collapsed: false, closedSymbol: '&#9656;',
      openedSymbol: '&#9662;'}).addTo(map);
    page.legend = config.legend;
    page.attribution = config.attribution;
    window.geomapPage(map, byArticle, page, tree, null);
  }
  function fail(message) {
    document.title = message + ' · geomap';
    show([], {articles: [], counts: {}, dates: [], timeline: [], title: message}, {});
  }
  window.geomapArticle = function (data) {
    window.geomapShapes = data.shapes;
    var parent = data.cluster
      ? L.markerClusterGroup({disableClusteringAtZoom: 9, chunkedLoading: true}) : L.featureGroup();
    parent.addTo(map);
    var byKind = {}, children = [];
    data.layers.forEach(function (entry) {
      var kind = entry[0];
      var layer = kind === 'regions' ? L.featureGroup() : L.featureGroup.subGroup(parent);
      layer.addTo(map);
      (kind === 'regions' ? window.geomapAddRegions : window.geomapAddPoints)(layer, entry[2]);
      byKind[kind] = layer;
      children.push({label: entry[1], layer: layer});
    });
    var node = {label: data.node, selectAllCheckbox: true, collapsed: false,
      children: children.length ? children : [{label: '<i>no places</i>'}]};
    document.title = data.title + ' · geomap';
    if (data.bounds) { map.fitBounds(data.bounds, {maxZoom: 8, padding: [20, 20]}); }
    var byArticle = {};
    byArticle[data.page.articles[0].id] = byKind;
    show([{label: 'Articles', selectAllCheckbox: true, children: [node]}], data.page, byArticle);
  };
  if (!/^[A-Za-z0-9._-]+$/.test(slug)) { fail('No article chosen'); return; }
  var script = document.createElement('script');
  script.src = 'articles/' + slug + '.js';
  script.onerror = function () { fail('No article ' + slug + ' here'); };
  document.head.appendChild(script);
};
