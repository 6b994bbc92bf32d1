from __future__ import annotations

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap import OfflineGazetteer
from geomap.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def geocoder(gazetteer: Gazetteer) -> OfflineGazetteer:
    return OfflineGazetteer(gazetteer)


def test_is_a_geopy_geocoder(geocoder: OfflineGazetteer) -> None:
    assert isinstance(geocoder, Geocoder)


def test_geocode_returns_a_location_with_the_record_in_raw(geocoder: OfflineGazetteer) -> None:
    location = geocoder.geocode("Sudzha")
    assert isinstance(location, Location)
    assert location.address == "Sudzha, Kursk Oblast, Russia"
    assert location.raw["geonameid"] == 486816 and location.raw["admin1"] == "RU.41"
    assert location.latitude == pytest.approx(51.191) and location.longitude == pytest.approx(35.271)


def test_an_admin1_label_is_only_given_where_the_place_lies(geocoder: OfflineGazetteer) -> None:
    # GeoNames codes French regions ("FR.11", Ile-de-France), Natural Earth's units are departments
    # ("FR.11" is Aude, 600 km away): the address leaves the unit out rather than name the wrong one
    paris = geocoder.geocode("Paris")
    assert (paris.raw["geonameid"], paris.raw["admin1"]) == (2988507, "FR.11")
    assert paris.address == "Paris, France" and paris.raw["admin1_name"] is None
    assert geocoder.geocode("New Orleans").address == "New Orleans, Louisiana, United States"


def test_geocode_ranks_and_filters(geocoder: OfflineGazetteer) -> None:
    every = geocoder.geocode("Moscow", exactly_one=False)
    assert every[0].raw["country_code"] == "RU"
    idaho = geocoder.geocode("Moscow", exactly_one=False, country_codes=["us"])
    assert {loc.raw["country_code"] for loc in idaho} == {"US"}
    assert len(geocoder.geocode("Moscow", exactly_one=False, limit=2)) == 2


def test_geocode_of_a_region_and_a_designated_unit(geocoder: OfflineGazetteer) -> None:
    assert geocoder.geocode("Donbas").raw["place_id"] == "region:donbas"
    assert geocoder.geocode("Kursk region").raw["geonameid"] == 538555


@pytest.mark.parametrize(
    ("query", "geonameid"),
    [("Paris, Texas", 4717560), ("Portland, Maine", 4975802), ("Louisville, Ky.", 4299276), ("Moscow, Idaho", 5601538)],
)
def test_a_qualifier_after_a_comma_picks_the_place_within_it(
    geocoder: OfflineGazetteer, query: str, geonameid: int
) -> None:
    assert geocoder.geocode(query).raw["geonameid"] == geonameid
    assert geocoder.geocode("Paris, Nowhereland") is None  # a qualifier that names nothing: no match


def test_unknown_name_is_none(geocoder: OfflineGazetteer) -> None:
    assert geocoder.geocode("Xqzzyville") is None


def test_reverse_names_place_admin1_and_country(geocoder: OfflineGazetteer) -> None:
    location = geocoder.reverse((51.19, 35.27))
    assert location.raw["geonameid"] == 486816
    assert location.raw["reverse"]["admin1"]["geonameid"] == 538555
    assert location.raw["reverse"]["country"]["geonameid"] == 2017370
    layers = geocoder.reverse("51.19, 35.27", exactly_one=False)
    assert [loc.raw["kind"] for loc in layers] == ["populated_place", "admin1", "country"]


def test_reverse_on_a_coast_the_outline_misses_still_names_the_country(geocoder: OfflineGazetteer) -> None:
    found = geocoder.reverse((40.7831, -73.9712)).raw["reverse"]  # Manhattan
    assert (found["place"]["name"], found["admin1"]["name"]) == ("Manhattan", "New York")
    assert found["country"]["country_code"] == "US"


def test_reverse_in_the_open_ocean_is_none(geocoder: OfflineGazetteer) -> None:
    assert geocoder.reverse((0.0, -30.0)) is None


def test_the_adapter_refuses_the_network(geocoder: OfflineGazetteer) -> None:
    with pytest.raises(GeocoderServiceError, match="does not use the network"):
        geocoder.adapter.get_json("https://example.org/", timeout=1, headers={})
