"""The resolver's context features, on hand-made candidates (a gazetteer only where a Resolver is made)."""

from __future__ import annotations

import math

import pytest

from geomap.models import Candidate, Place, Span
from geomap.resolve import NEAR_KM, _Pending, _Where

# Two Parises 7,700 km apart, a town 30 km from the one in Texas, and a country.
PARIS_FR = Place("p:fr", "Paris", "populated_place", 48.8566, 2.3522, country_code="FR")
PARIS_TX = Place("p:tx", "Paris", "populated_place", 33.6609, -95.5555, country_code="US")
BLOSSOM = Place("p:bl", "Blossom", "populated_place", 33.6615, -95.3858, country_code="US")
FRANCE = Place("c:fr", "France", "country", 46.6, 2.4, country_code="FR")


def pending(*places: Place) -> _Pending:
    span = Span(0, len(places[0].name), places[0].name, "literal", places[0].name)
    return _Pending(span, [Candidate(p, p.name, "name", 5.0) for p in places], "gazetteer", [])


@pytest.fixture(params=["loop", "arrays"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Nearness both ways: the loop of a compiled install, the numpy matrix of pure Python (in blocks of
    three rows here, to cross their edges)."""
    from geomap import resolve

    monkeypatch.setattr(resolve, "COMPILED", request.param == "loop")
    monkeypatch.setattr(resolve, "NEARNESS_ROWS", 3)
    return str(request.param)


def km(a: Place, b: Place) -> float:
    return 6371.0088 * math.acos(
        math.sin(math.radians(a.lat)) * math.sin(math.radians(b.lat))
        + math.cos(math.radians(a.lat)) * math.cos(math.radians(b.lat)) * math.cos(math.radians(a.lon - b.lon))
    )


def test_nearness_is_the_closest_anchor_of_another_name_decaying_with_distance(way: str) -> None:
    items = [pending(PARIS_FR, PARIS_TX), pending(BLOSSOM), pending(FRANCE)]
    where = _Where(items)
    assert where.sizes == {0: 2}  # only names with a choice to make
    near = where.nearness([(1, BLOSSOM, 0.9)])
    fr, tx = near[0]
    assert tx == pytest.approx(0.9 * math.exp(-km(PARIS_TX, BLOSSOM) / NEAR_KM), rel=1e-6)
    assert fr == pytest.approx(0.9 * math.exp(-km(PARIS_FR, BLOSSOM) / NEAR_KM), rel=1e-6)
    assert tx > 0.8 > 1e-9 > fr


def test_nearness_ignores_the_names_own_anchor_and_the_same_place(way: str) -> None:
    items = [pending(PARIS_FR, PARIS_TX), pending(PARIS_TX, BLOSSOM)]
    where = _Where(items)
    # item 0's own choice does not pull it; item 1 anchored on Paris, Texas gives Paris, Texas nothing either
    near = where.nearness([(0, PARIS_TX, 1.0), (1, PARIS_TX, 0.7)])
    assert near[0] == [pytest.approx(0.7 * math.exp(-km(PARIS_FR, PARIS_TX) / NEAR_KM), rel=1e-6), 0.0]
    # Blossom (item 1) is pulled by item 0's anchor only, Paris, Texas of item 1 by nothing but itself
    assert near[1] == [0.0, pytest.approx(math.exp(-km(BLOSSOM, PARIS_TX) / NEAR_KM), rel=1e-6)]


def test_no_anchors_no_nearness(way: str) -> None:
    where = _Where([pending(PARIS_FR, PARIS_TX), pending(FRANCE)])
    assert where.nearness([]) == {0: [0.0, 0.0]}
    assert _Where([pending(FRANCE)]).nearness([(0, FRANCE, 1.0)]) == {}


def test_nearness_is_the_best_anchor_whatever_their_order(way: str) -> None:
    """The search over the anchors goes heaviest first and stops where no weight left can beat what a
    candidate has: a light anchor near by still beats a heavy one far off, in any order given."""
    import itertools

    items = [pending(PARIS_FR, PARIS_TX), pending(BLOSSOM, FRANCE), pending(PARIS_TX, BLOSSOM, FRANCE)]
    anchors = [(1, BLOSSOM, 0.3), (0, PARIS_FR, 0.9), (2, FRANCE, 0.8)]
    where = _Where(items)
    answers = [where.nearness(list(order)) for order in itertools.permutations(anchors)]
    assert all(answer == answers[0] for answer in answers)
    expected = {
        index: [
            max(
                [
                    w * math.exp(-km(c.place, place) / NEAR_KM)
                    for i, place, w in anchors
                    if i != index and place.place_id != c.place.place_id
                ]
                or [0.0]
            )
            for c in items[index].candidates
        ]
        for index in (0, 1, 2)
    }
    for index, values in expected.items():
        assert answers[0][index] == pytest.approx(values, rel=1e-9)
    # Paris, Texas (of item 0) is pulled by Blossom, weight 0.3 and 30 km off, not by France, 0.8 and far
    assert answers[0][0][1] == pytest.approx(0.3 * math.exp(-km(PARIS_TX, BLOSSOM) / NEAR_KM), rel=1e-9)


def test_nearness_passes_over_only_anchors_that_cannot_win(way: str) -> None:
    """Anchors too far by latitude alone are skipped by the loop: its answer is still exactly the brute-force
    one, also for places on one meridian (where the bound is the distance itself) and at the poles; numpy's
    is the same to the last bits of a float."""
    import random

    from geomap.geo import haversine_km
    from geomap.resolve import _point

    rng = random.Random(11)

    def place(n: int, lat: float, lon: float) -> Place:
        return Place(f"p:{n}", f"P{n}", "populated_place", lat, lon)

    for trial in range(200):
        meridian = rng.uniform(-180, 180)
        places = [
            place(n, rng.uniform(-90, 90), meridian if n % 3 == 0 else rng.uniform(-180, 180))
            for n in range(trial * 20, trial * 20 + 12)
        ]
        places.append(place(trial * 20 + 12, 90.0, 0.0))
        items = [
            _Pending(
                Span(0, 1, "x", "literal", "x"), [Candidate(p, p.name, "name", 5.0) for p in group], "gazetteer", []
            )
            for group in (places[0:4], places[4:8], places[8:13])
        ]
        anchors = [(rng.randrange(3), rng.choice(places), rng.uniform(0.6, 1.0)) for _ in range(rng.randint(1, 6))]
        got = _Where(items).nearness(anchors)
        for index, item in enumerate(items):
            expected = []
            for candidate in item.candidates:
                _, place_id, lat, lon, cos_lat = _point(index, candidate.place)
                values = [0.0]
                for other, anchor, weight in anchors:
                    if other != index and anchor.place_id != place_id:
                        _, _, lat2, lon2, cos_lat2 = _point(other, anchor)
                        values.append(
                            weight * math.exp(-haversine_km(lat, lon, cos_lat, lat2, lon2, cos_lat2) / NEAR_KM)
                        )
                expected.append(max(values))
            if way == "loop":
                assert got[index] == expected, (trial, index)
            else:
                assert got[index] == pytest.approx(expected, rel=1e-12, abs=1e-300), (trial, index)


def test_a_state_outranks_smaller_namesake_towns_elsewhere_not_its_own_city_or_a_large_one() -> None:
    from geomap.resolve import _unit_named

    state = Place("a:wy", "Wyoming", "admin1", 43.0, -107.5, country_code="US", admin1="US.WY", population=432_824)
    town = Place(
        "p:mi", "Wyoming", "populated_place", 42.9, -85.7, country_code="US", admin1="US.MI", population=75_275
    )
    inside = Place("p:in", "Wyoming", "populated_place", 41.1, -104.8, country_code="US", admin1="US.WY")
    city = Place(
        "p:dc", "Wyoming", "populated_place", 38.9, -77.0, country_code="US", admin1="US.DC", population=689_545
    )

    def named(*places_and_priors: tuple[Place, float]) -> list[Candidate]:
        return [Candidate(p, p.name, "name", prior) for p, prior in places_and_priors]

    assert _unit_named(named((town, 5.38), (state, 4.64))) is state  # "Wyoming": the state
    assert _unit_named(named((inside, 5.38), (state, 4.64))) is None  # "Kursk": the oblast's own city
    assert _unit_named(named((city, 6.34), (state, 5.81))) is None  # "Washington": D.C.
    assert _unit_named([Candidate(state, "Cowboy State", "alias", 4.64), *named((town, 5.38))]) is None


def test_a_names_own_candidates_are_no_evidence_for_one_another() -> None:
    from geomap.resolve import _context, _Home, _scores

    paris = pending(PARIS_FR, PARIS_TX, BLOSSOM)  # a name whose candidates are a French and two Texan places
    paris.count = 2
    paris.rescore([5.0, 5.0, 5.0])  # a third each
    paris.bonuses = [0.0, 0.0, 0.0]
    france = pending(FRANCE)
    france.count = 1
    france.rescore([5.0])
    countries, admin1s, _, owns = _context([paris, france], _Home({}, {}))
    third = 2 * paris.probabilities[0]
    assert owns[0][0] == {"FR": pytest.approx(third), "US": pytest.approx(2 * third)}  # the name's part
    assert countries.votes == {"FR": pytest.approx(third + 1.0), "US": pytest.approx(2 * third)}
    # the US's votes are all the name's own: Blossom's share is no evidence for Paris, Texas; France's is for Paris
    score_fr, score_tx, _ = _scores(paris, [0.0, 0.0, 0.0], countries, admin1s, owns[0])
    assert score_tx == pytest.approx(5.0) and score_fr > score_tx


def test_long_texts_are_resolved_window_by_window_between_paragraphs() -> None:
    from geomap.resolve import _windows

    paragraphs = ["Paris and Blossom. " * 3 + "\n\n" for _ in range(10)]
    text = "".join(paragraphs)
    spans = []
    for start in range(len(text)):
        for name in ("Paris", "Blossom"):
            if text.startswith(name, start):
                spans.append(Span(start, start + len(name), name, "literal", name))
    assert len(spans) == 60
    assert _windows(text, spans, 100) == [spans]  # a text within the limit is one context
    windows = _windows(text, spans, 10)
    assert [len(w) for w in windows] == [6] * 10  # cut where a paragraph ends, past half the limit
    assert [s for w in windows for s in w] == spans
    assert [len(w) for w in _windows(text.replace("\n", " "), spans, 10)] == [10] * 6  # no line ends: at the limit


def test_a_qualifier_is_the_unit_that_holds_the_place_before_it(gazetteer) -> None:
    from geomap.resolve import Resolver, _bonus

    tacoma = Place("p:ta", "Tacoma", "populated_place", 47.25, -122.44, country_code="US", admin1="US.WA")
    capital = Place("p:dc", "Washington", "populated_place", 38.9, -77.04, country_code="US", admin1="US.DC")
    state = Place("a:wa", "Washington", "admin1", 47.5, -120.5, country_code="US", admin1="US.WA")
    text = "Tacoma, Washington"
    spans = [Span(0, 6, "Tacoma", "literal", "Tacoma"), Span(8, 18, "Washington", "literal", "Washington")]
    head = pending(tacoma)
    tail = _Pending(
        spans[1],
        [Candidate(capital, "Washington", "name", 6.0), Candidate(state, "Washington", "name", 5.4)],
        "gazetteer",
        [],
    )
    qualifiers = Resolver(gazetteer)._qualifiers(text, spans, [tuple(head.candidates), tuple(tail.candidates)])
    assert qualifiers == {0: state, 1: state}  # the state holds Tacoma, and is what "Washington" names here
    assert _bonus("Washington", tail.candidates[1], None, state) > 0  # the state, qualifying
    assert _bonus("Washington", tail.candidates[0], None, state) == 0  # not the capital, outside it


def test_a_resolver_gives_each_article_what_a_fresh_one_gives_in_any_order(gazetteer) -> None:
    """What a name stands for before any context is remembered across articles (Resolver._named); what an
    article makes of it (its qualifiers, votes, nearness, focus) is still its own."""
    from geomap.models import Article
    from geomap.recognise import RuleRecogniser
    from geomap.resolve import Resolver

    texts = [
        "ATLANTA, Georgia — Storms hit Atlanta, Georgia and Macon overnight.",
        "TBILISI — Georgia and Armenia held talks in Tbilisi. Georgia said the border was calm.",
        "Paris and Lyon voted. Officials in Paris, France, met in the morning.",
        "Paris, Texas, lies near Blossom. Paris officials in Texas met in Dallas.",
    ]
    recogniser = RuleRecogniser(gazetteer)
    articles = [Article(id=str(n), text=text) for n, text in enumerate(texts)]
    spans = {a.id: recogniser.recognise(a.text) for a in articles}

    def places(resolver: Resolver, article: Article) -> list[tuple[str, str | None, float]]:
        mentions = resolver.resolve(article, spans[article.id])
        return [(m.text, m.place.place_id if m.place else None, m.confidence) for m in mentions]

    fresh = {a.id: places(Resolver(gazetteer), a) for a in articles}
    assert fresh["0"][1][1] != fresh["1"][1][1]  # Georgia the state, then Georgia the country
    shared = Resolver(gazetteer)
    for article in [*articles, *reversed(articles)]:
        assert places(shared, article) == fresh[article.id]
