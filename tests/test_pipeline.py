"""End to end on the seed: what a careful reader maps (tests/fixtures/seed_expected.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geomap.gazetteer import Gazetteer
from geomap.ingest import read_articles
from geomap.models import Article
from geomap.pipeline import Geoparser

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "000_db247c232c80904f.txt"
EXPECTED = json.loads((HERE / "fixtures" / "seed_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


@pytest.fixture(scope="module")
def seed(parser: Geoparser) -> list[tuple]:
    articles = list(read_articles([SEED]))
    return [(article, parser.mentions(article)) for article in articles]


def test_two_articles_match_the_expectations(seed: list[tuple]) -> None:
    def plain(title: str) -> str:
        return title.replace("‘", "'").replace("’", "'")

    assert [plain(a.title) for a, _ in seed] == [plain(e["title"]) for e in EXPECTED["articles"]]
    assert [a.date for a, _ in seed] == [e["updated"] for e in EXPECTED["articles"]]
    assert [a.dateline for a, _ in seed] == [e["dateline"] for e in EXPECTED["articles"]]


@pytest.mark.parametrize("index", [0, 1])
def test_every_must_place_is_found_and_resolved(seed: list[tuple], index: int) -> None:
    _, mentions = seed[index]
    for must in EXPECTED["articles"][index]["must"]:
        surfaces = set(must["surface"])
        hits = [m for m in mentions if m.text in surfaces]
        assert hits, f"{must['place']} not found as any of {sorted(surfaces)}"
        for mention in hits:
            assert mention.place is not None, mention.text
            if "made_of" in must:  # Donbas: the union of the listed admin-1 units
                assert mention.place.kind == "composite"
                assert mention.place.place_id == "region:donbas"
            else:
                assert mention.place.geonameid == must["geonameid"], (mention.text, mention.place)
        if must.get("kind") == "dateline":
            assert any(m.type == "dateline" for m in hits)
        if must.get("kind") == "admin1":
            assert all(m.place.kind == "admin1" and m.place.admin1 == must["admin1"] for m in hits)


@pytest.mark.parametrize("index", [0, 1])
def test_nothing_that_must_not_be_mapped_is(seed: list[tuple], index: int) -> None:
    article, mentions = seed[index]
    for phrase in EXPECTED["articles"][index]["must_not"]:
        for occurrence in re.finditer(rf"\b{re.escape(phrase)}\b", article.text):
            inside = [m for m in mentions if occurrence.start() <= m.start and m.end <= occurrence.end()]
            assert not inside, f"{phrase!r} at {occurrence.start()} was mapped as {inside[0].text!r}"


def test_demonyms_when_output_are_marked(seed: list[tuple]) -> None:
    for _, mentions in seed:
        for mention in mentions:
            if mention.text in ("Russian", "Ukrainian", "German"):
                assert mention.type == "demonym"


def test_kursk_region_is_the_oblast_drawn_as_polygon(seed: list[tuple]) -> None:
    _, mentions = seed[0]
    oblast = [m for m in mentions if m.text.casefold() == "kursk region"]
    assert oblast and all(m.place.kind == "admin1" and m.place.admin1 == "RU.41" for m in oblast)
    assert all(m.place.has_shape for m in oblast)


def test_mention_records_honour_the_contract(seed: list[tuple]) -> None:
    for article, mentions in seed:
        for mention in mentions:
            record = mention.as_record()
            assert article.text[record["start"] : record["end"]] == record["text"]
            assert record["text"] in record["sentence"]
            assert article.text[record["sentence_start"] :].startswith(record["sentence"])
            assert record["type"] in ("literal", "associative", "demonym", "dateline")
            assert 0.0 <= record["confidence"] <= 1.0
            assert isinstance(record["alternatives"], list)


def test_metonymy_is_associative(seed: list[tuple]) -> None:
    _, mentions = seed[1]
    moscow = next(m for m in mentions if m.text == "Moscow")
    assert moscow.sentence.startswith("Moscow has repeatedly said")
    assert moscow.type == "associative"


def test_context_decides_between_namesakes(parser: Geoparser) -> None:
    from geomap.models import Article

    texas = Article(id="t", text="Storms hit Dallas and Austin, then moved on to Paris, Texas, and Tyler.")
    paris = next(m for m in parser.mentions(texas) if m.text == "Paris")
    assert (paris.place.country_code, paris.place.admin1) == ("US", "US.TX")
    france = Article(id="f", text="Protesters marched in Lyon, Marseille and Paris on Saturday.")
    paris = next(m for m in parser.mentions(france) if m.text == "Paris")
    assert paris.place.geonameid == 2988507
    assert paris.alternatives and paris.alternatives[0]["place_id"] != paris.place.place_id


def test_landmarks_stand_for_their_city(parser: Geoparser) -> None:
    from geomap.models import Article

    article = Article(id="l", text="The White House said the Kremlin had called. The Wall Street Journal agreed.")
    found = {m.text: (m.type, m.place.name) for m in parser.mentions(article)}
    assert found == {"White House": ("associative", "Washington"), "Kremlin": ("literal", "Moscow")}


def test_unknown_street_falls_back_to_the_article_focus(parser: Geoparser) -> None:
    from geomap.models import Article

    article = Article(id="n", text="NEW ORLEANS — A fire broke out on Frenchmen Street in New Orleans overnight.")
    street = next(m for m in parser.mentions(article) if m.text == "Frenchmen Street")
    assert street.resolved_by == "context"
    assert street.place.name == "New Orleans" and street.confidence < 0.5


def test_a_name_repeated_does_not_outweigh_the_places_of_one_state(parser: Geoparser) -> None:
    from geomap.models import Article

    text = (
        "The new homes in Gainesville, Va., are near Manassas and Centreville. Buyers shop at the Haymarket "
        "Village Center. Jemison was the builder's last project; Jemison sold out, and Jemison is far away."
    )
    mall = next(m for m in parser.mentions(Article(id="f", text=text)) if m.text == "Haymarket Village Center")
    assert mall.resolved_by == "context"
    assert mall.place.admin1 == "US.VA"  # in Virginia with the article's towns, not in Jemison, Alabama


def test_a_street_is_placed_in_the_town_named_not_its_province(parser: Geoparser) -> None:
    from geomap.models import Article

    text = (
        "The Western Cape health department said a shop on Voortrekker Road had burned. "
        "The Western Cape has seen three such fires, all in Cape Town."
    )
    road = next(m for m in parser.mentions(Article(id="c", text=text)) if m.text == "Voortrekker Road")
    assert (road.resolved_by, road.place.name) == ("context", "Cape Town")  # the province named twice counts once


def test_a_street_goes_to_the_town_named_next_to_it_not_the_articles_focus(parser: Geoparser) -> None:
    from geomap.models import Article

    text = (
        "Lyon and Marseille voted on Sunday; turnout in Toulouse was high.\n\n"
        "Our correspondent, on holiday, wrote from Frenchmen Street in New Orleans.\n\n"
        "In Lyon, Marseille and Toulouse the count went on."
    )
    street = next(m for m in parser.mentions(Article(id="s", text=text)) if m.text == "Frenchmen Street")
    assert (street.resolved_by, street.place.name) == ("context", "New Orleans")  # the focus is in France


def _given(parser: Geoparser, text: str, names: list[str]) -> list:
    """The mentions of every occurrence of ``names`` in ``text``, resolved as given spans."""
    spans = sorted(
        ({"start": m.start(), "end": m.end()} for name in names for m in re.finditer(name, text)),
        key=lambda span: span["start"],
    )
    return parser.given(Article(id="g", text=text, extra={"toponyms": spans}), spans_field="toponyms")


def test_a_town_inside_a_longer_name_weighs_less_than_a_place_named(parser: Geoparser) -> None:

    text = (
        "Homes along Elysian Fields sold fast. Elysian Fields was busy, and Elysian Fields will close. "
        "The Pontchartrain Railroad ran from the New Orleans Waterworks through Louisiana."
    )
    mentions = _given(parser, text, ["Elysian Fields", "Pontchartrain Railroad", "New Orleans Waterworks", "Louisiana"])
    # "Elysian" (a Minnesota village, only part of the avenue's name) thrice does not outweigh the state named
    # and the city inside another name: the avenue and the railway are placed in Louisiana
    assert {(m.text, m.place.admin1) for m in mentions} == {
        ("Elysian Fields", "US.LA"),
        ("Pontchartrain Railroad", "US.LA"),
        ("New Orleans Waterworks", "US.LA"),
        ("Louisiana", "US.LA"),
    }


def test_the_focus_is_in_the_state_the_article_is_about(parser: Geoparser) -> None:

    text = (
        "The parade passed Washington Square and crossed Washington Square again. Royal Street runs from the "
        "New Orleans Waterworks past Lafayette to the edge of Louisiana's French Quarter."
    )
    names = ["Washington Square", "Royal Street", "New Orleans Waterworks", "Lafayette", "Louisiana", "French Quarter"]
    mentions = _given(parser, text, names)
    placed = {m.text: (m.resolved_by, m.place.name) for m in mentions}
    # Washington Square, Philadelphia, named twice, is one town in a state the article names nothing else of;
    # Louisiana has the state itself, Lafayette and New Orleans: the street and the quarter go there
    assert placed["Royal Street"] == ("context", "New Orleans")
    assert placed["French Quarter"] == ("context", "New Orleans")


def test_a_state_named_alone_is_the_state_not_a_smaller_town_elsewhere(parser: Geoparser) -> None:
    text = "Storms hit Wyoming and Montana. In Washington, officials said aid would go to Delaware."
    placed = {m.text: (m.place.kind, m.place.admin1) for m in parser.mentions(Article(id="w", text=text))}
    assert placed["Wyoming"] == ("admin1", "US.WY")  # not Wyoming, Michigan
    assert placed["Montana"] == ("admin1", "US.MT")  # not Montana, Bulgaria
    assert placed["Delaware"] == ("admin1", "US.DE")  # not Delaware, Ohio
    assert placed["Washington"] == ("populated_place", "US.DC")  # a city of some size keeps its name


def test_resolve_given_spans(parser: Geoparser) -> None:
    from geomap.models import Article

    text = "Talks in Geneva and Sudzha."
    article = Article(id="g", text=text, extra={"toponyms": [{"start": 9, "end": 15}, {"start": 20, "end": 26}]})
    mentions = list(parser.resolve_given([article], spans_field="toponyms"))
    assert [(m.text, m.place.geonameid) for m in mentions] == [("Geneva", 2660646), ("Sudzha", 486816)]


def test_given_spans_inside_longer_names(parser: Geoparser) -> None:
    from geomap.models import Article

    text = "Staff at the Russian Embassy and the US Federal Reserve said so."
    spans = [
        {"start": text.index("Russian Embassy"), "end": text.index("Russian Embassy") + 15},
        {"start": text.index("US Federal Reserve"), "end": text.index("US Federal Reserve") + 18},
    ]
    article = Article(id="p", text=text, extra={"toponyms": spans})
    embassy, reserve = parser.resolve_given([article], spans_field="toponyms")
    assert (embassy.place.geonameid, embassy.resolved_by) == (2017370, "partial")  # a demonym part: Russia
    assert (reserve.place.geonameid, reserve.resolved_by) == (6252001, "partial")  # "US", not the word "us"


def test_a_second_recogniser_plugs_in(gazetteer: Gazetteer) -> None:
    """A toy recogniser (a regular expression over three names) in place of the rules: the resolver takes its spans."""
    from geomap.models import Span

    class ThreeCities:
        def recognise(self, text: str) -> list[Span]:
            return [
                Span(m.start(), m.end(), m.group(), "literal", m.group())
                for m in re.finditer(r"Kyiv|Sudzha|Paris", text)
            ]

    parser = Geoparser(gazetteer, recogniser=ThreeCities())
    article = Article(id="t", text="From Kyiv to Paris, via Sudzha and London.")
    found = [(m.text, m.place.geonameid if m.place else None) for m in parser.mentions(article)]
    assert found == [("Kyiv", 703448), ("Paris", 2988507), ("Sudzha", 486816)]  # London: not this recogniser's


RICHMOND = "Police in Richmond said the road was closed on Tuesday after the crash."


@pytest.mark.parametrize(
    ("extra", "url", "where"),
    [
        ({"home": "British Columbia"}, None, ("CA", "CA.02")),
        ({"home": "Kentucky"}, None, ("US", "US.KY")),
        ({"home": "London"}, None, ("GB", "GB.ENG")),
        ({}, "https://www.richmond-news.ca/local/1", ("CA", "CA.02")),
        ({}, "https://www.bbc.co.uk/news/1", ("GB", "GB.ENG")),
    ],
)
def test_the_sources_home_region_decides_a_local_towns_namesake(
    parser: Geoparser, extra: dict[str, object], url: str | None, where: tuple[str, str]
) -> None:
    article = Article(id="r", text=RICHMOND, url=url, extra=extra)
    (richmond,) = parser.mentions(article)
    assert (richmond.place.country_code, richmond.place.admin1) == where


def test_no_home_or_an_unusable_one_leaves_the_largest_namesake(parser: Geoparser) -> None:
    plain = parser.mentions(Article(id="r", text=RICHMOND))[0].place
    assert (plain.country_code, plain.admin1) == ("US", "US.VA")
    for extra, url in [({"home": 5}, "http://[::1"), ({"home": "  "}, "https://example.io/x"), ({}, "not a url")]:
        assert parser.mentions(Article(id="r", text=RICHMOND, url=url, extra=extra))[0].place == plain
