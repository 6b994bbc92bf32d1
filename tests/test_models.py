from __future__ import annotations

from geomap.models import MENTION_FIELDS, Mention, Place


def test_a_mention_record_has_the_contract_fields_in_order() -> None:
    place = Place("geonames:486816", "Sudzha", "populated_place", 51.191, 35.271, geonameid=486816)
    for resolved in (place, None):
        mention = Mention("a", 0, 6, "Sudzha", "Sudzha burns.", 0, "literal", resolved, 0.9 if resolved else None)
        assert tuple(mention.as_record()) == MENTION_FIELDS


def test_records_pickle_by_their_fields() -> None:
    """What --jobs workers and Dask send and get back; compiled (test_packaging) as well as here."""
    import pickle

    from geomap.models import Article, Candidate, Mention, Place, Span

    place = Place("p:1", "Sudzha", "populated_place", 51.19, 35.27, country_code="RU", population=5000)
    article = Article(id="a", text="In Sudzha.", extra={"home": "Kursk"})
    records = [
        place,
        article,
        Span(3, 9, "Sudzha", "literal", "Sudzha"),
        Candidate(place, "Sudzha", "name", 3.7),
        Mention("a", 3, 9, "Sudzha", "In Sudzha.", 0, "literal", place, 0.9, "gazetteer", ({"name": "x"},)),
    ]
    for record in records:
        assert pickle.loads(pickle.dumps(record)) == record
    assert pickle.loads(pickle.dumps(article)).extra == {"home": "Kursk"}  # not compared by ==
