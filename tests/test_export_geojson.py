"""GeoJSON exports read back with GDAL (pyogrio)."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
import shapely

from geomap.export import mentions_geojson, write_geojson
from geomap.gazetteer import Gazetteer
from geomap.ingest import read_articles
from geomap.join import articles_frame, join_mentions, mentions_frame
from geomap.pipeline import Geoparser

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_db247c232c80904f.txt"


@pytest.fixture(scope="module")
def joined(gazetteer: Gazetteer):
    articles = list(read_articles([SEED]))
    parser = Geoparser(gazetteer)
    records = [m.as_record() for a in articles for m in parser.mentions(a)]
    records.append(
        {
            **records[0],
            "start": 0,
            "end": 3,
            "text": "Zzz",
            "place_id": None,
            "lat": None,
            "lon": None,
            "name": None,
            "kind": None,
            "geonameid": None,
        }
    )
    return join_mentions(mentions_frame(records), articles_frame(articles))


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def test_per_mention_is_rfc7946(joined, gazetteer: Gazetteer, tmp_path: Path) -> None:
    collection = mentions_geojson(joined, gazetteer=gazetteer)
    assert "crs" not in collection and collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(joined)
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry is None:
            assert feature["properties"]["place_id"] is None
            continue
        if geometry["type"] == "Point":
            lon, lat = geometry["coordinates"]
            assert (lat, lon) == (feature["properties"]["lat"], feature["properties"]["lon"])
            assert round(lon, 6) == lon
        else:
            shape = shapely.geometry.shape(geometry)
            assert shape.is_valid
            for ring in _rings(geometry):
                assert shapely.LinearRing(ring).is_ccw
    path = tmp_path / "m.geojson"
    write_geojson(collection, path)
    info = pyogrio.read_info(path)
    assert info["features"] == len(joined)
    assert {"article_id", "text", "sentence", "type", "place_id", "article_title", "confidence"} <= set(info["fields"])
    meta, _, geometry, fields = pyogrio.raw.read(path)
    names = list(meta["fields"])
    texts = fields[names.index("text")]
    assert "Sudzha" in list(texts) and "Zzz" in list(texts)


def test_per_place(joined, gazetteer: Gazetteer, tmp_path: Path) -> None:
    collection = mentions_geojson(joined, gazetteer=gazetteer, per="place")
    by_id = {f["properties"]["place_id"]: f for f in collection["features"]}
    assert len(by_id) == joined["place_id"].nunique()
    donbas = by_id["region:donbas"]
    assert donbas["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert by_id["geonames:538555"]["geometry"]["type"] in ("Polygon", "MultiPolygon")  # Kursk Oblast
    assert by_id["geonames:486816"]["geometry"]["type"] == "Point"
    russia = by_id["geonames:2017370"]["properties"]
    assert russia["mentions"] > 5 and len(russia["articles"]) == 2
    path = tmp_path / "p.geojson"
    write_geojson(collection, path)
    assert pyogrio.read_info(path)["features"] == len(by_id)
    assert json.loads(path.read_text(encoding="utf-8"))["features"][0]["type"] == "Feature"


def test_bad_per_is_refused(joined) -> None:
    with pytest.raises(ValueError, match="'mention', 'place'"):
        mentions_geojson(joined, per="article")


def test_streamed_features_are_the_same_bytes(joined, gazetteer: Gazetteer, tmp_path: Path) -> None:
    import io

    from geomap.writers import GeoJsonWriter

    whole = tmp_path / "whole.geojson"
    write_geojson(mentions_geojson(joined, gazetteer=gazetteer), whole)
    stream = io.StringIO()
    writer = GeoJsonWriter(stream, gazetteer=gazetteer)
    rows = joined.to_dict("records")
    writer.write(rows[:3])  # in pieces, as geomap run writes them article by article
    writer.write(rows[3:])
    writer.close()
    assert stream.getvalue() == whole.read_text(encoding="utf-8")
    assert '"MultiPolygon"' in stream.getvalue() or '"Polygon"' in stream.getvalue()
