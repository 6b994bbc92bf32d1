from __future__ import annotations

from geomap.models import MENTION_FIELDS, Mention, Place


def test_a_mention_record_has_the_contract_fields_in_order() -> None:
    place = Place("geonames:486816", "Sudzha", "populated_place", 51.191, 35.271, geonameid=486816)
    for resolved in (place, None):
        mention = Mention("a", 0, 6, "Sudzha", "Sudzha burns.", 0, "literal", resolved, 0.9 if resolved else None)
        assert tuple(mention.as_record()) == MENTION_FIELDS
