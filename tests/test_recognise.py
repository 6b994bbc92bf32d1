from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.gazetteer import Gazetteer
from geomap.recognise import RuleRecogniser
from geomap.text import sentence_bounds, sentence_of


@pytest.fixture(scope="module")
def recogniser(gazetteer: Gazetteer) -> RuleRecogniser:
    return RuleRecogniser(gazetteer)


def found(recogniser: RuleRecogniser, text: str) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in recogniser.recognise(text)]


def test_offsets_point_at_the_surface(recogniser: RuleRecogniser) -> None:
    text = "Shelling hit Sudzha and Kyiv's suburbs."
    for span in recogniser.recognise(text):
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighting continued in Kursk region.", [("Kursk region", "literal")]),
        ("He visited the western Russian region of Kursk.", [("Russian", "demonym"), ("Kursk", "literal")]),
        ("MOSCOW: Russia said no.", [("MOSCOW", "dateline"), ("Russia", "associative")]),
        ("BEIRUT (AP) — A militia says", [("BEIRUT", "dateline")]),
        ("Ukraine's side and the U.S. and the UAE.", [("Ukraine", "literal"), ("U.S.", "literal"), ("UAE", "literal")]),
        ("Moscow has repeatedly said it will not.", [("Moscow", "associative")]),
        ("Kyiv's troops will continue.", [("Kyiv", "associative")]),
        ("US President Donald Trump spoke.", [("US", "associative")]),
        ("Fighting in the Donbas region and in Sri Lanka.", [("Donbas", "literal"), ("Sri Lanka", "literal")]),
        ("Shelling in Donetsk oblast", [("Donetsk oblast", "literal")]),
        (
            "Louisville, KY and Charleston, W.Va. flooded.",
            [("Louisville", "literal"), ("KY", "literal"), ("Charleston", "literal"), ("W.Va.", "literal")],
        ),
        ("Syrian-Turkish border", [("Syrian", "demonym"), ("Turkish", "demonym")]),
        ("Paris, Texas", [("Paris", "literal"), ("Texas", "literal")]),
        ("the Mississippi River and Royal Street", [("Mississippi River", "literal"), ("Royal Street", "literal")]),
    ],
)
def test_recognises(recogniser: RuleRecogniser, text: str, expected: list) -> None:
    assert found(recogniser, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin and Valery Gerasimov met.",
        "It would extend the Geneva Conventions to foreigners.",
        "The Washington Post said so.",
        "In March, many said on Wednesday that the Foreign Ministry agreed.",
        "Minister Sergei Lavrov praised Donald Trump.",
        "Hillary Clinton met Sen. Warren.",
        "troops from Western countries",
        "Reading the NATO statement, he said Oleksandr Syrskyi posted on Facebook.",
    ],
)
def test_does_not_take_names_that_are_no_places_here(recogniser: RuleRecogniser, text: str) -> None:
    assert found(recogniser, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Coach Tom Chilton praised the squad.",  # a given name before a small place's name: a surname
        "Senator Marco Rubio and Sen. Tom Udall wrote to the agency.",
        "Ambassador Phillips met the press.",  # a title (nameparser's) before it
        "Judge Victor Blake adjourned the case.",
        "John Kelly spoke to reporters. Later, Kelly left the room.",  # the person's surname, alone later
        "Ashley Sutton won the title. Sutton was quick.",
        "I've seen it. We'll go on Nov. 2 and stay for Christmas.",  # contractions, dates, holidays
        "She met Irene at the station.",  # a given name that is no town's own name, only another one
        "Police said Gino D. Bassett fled. Bassett was arrested.",  # after a middle initial; alone later
        "By Cleve R. Wootson Jr. and staff",  # a given name before a middle initial
        "Trained by Mike de Kock, he won. De Kock was pleased.",  # a given name and a particle
        "It was owned by Claude Joseph Villars Dubreuil. In 1740, Dubreuil dug a canal.",  # more of the name
        "Congressman Mario Diaz-Balart spoke. Diaz-Balart left.",  # a double name: a word naming nothing
        "Ambassador Anthony Phillips-Spencer gave a brief.",  # a double name after a given name
        "Composer Lin-Manuel Miranda wrote it.",  # a double name with a given name that no place is called
        "Miranda tweeted on Thursday.",  # a given name and a state of Venezuela: a person, speaking
        "Tom Ridge and Edward Heath met at the St. Patrick's Day Parade.",  # surnames and an event, no place heads
        "Former champion Damon Hill said so, and director Michael Bay agreed.",  # a head word as a surname
        "Prominent lawyers Xie Yang and Li Heping were detained.",  # names a town has only as other names
        "We apologise unreservedly to Pep Guardiola, his players and staff.",  # inside a longer name
        # once a name is found a person's (speaking, or a given name before more of a name), so is each mention
        "Sandberg would not say. In the interview, Sandberg said the firm had acted.",
        "Noma had moved. Noma works as a cleaner, said Noma.",
        "Rod Stewart sang. It has songs from the earlier part of Rod's career.",
        # a country's or a large city's name after a given name, where it is a surname too
        "Colin Turkington and Andrew Jordan won the title. Whitney Houston sang.",
    ],
)
def test_people_dates_and_contractions_are_no_places(recogniser: RuleRecogniser, text: str) -> None:
    assert found(recogniser, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her parents, Paul Francis and Mary Ann, live in Sudzha.", [("Sudzha", "literal")]),
        ("Talks in Jordan and Georgia continued.", [("Jordan", "literal"), ("Georgia", "literal")]),  # large places
        ("An aide to former Atlanta Mayor Kasim Reed was charged.", [("Atlanta", "literal")]),  # a title after it
        ("Tom went to Chilton on Monday.", [("Chilton", "literal")]),  # the given name is another word's neighbour
        ("He drove from Chilton to Sutton.", [("Chilton", "literal"), ("Sutton", "literal")]),  # no person here
        (
            "Shelling hit Victoria Street and Charles County overnight.",
            [("Victoria Street", "literal"), ("Charles County", "literal")],
        ),
        ("Among Sudzha's residents, few stayed.", [("Sudzha", "literal")]),  # "Among" opens the sentence
        ("Shelling hit Douma overnight.", [("Douma", "literal")]),  # another name of a town, no given name
        ("Douma's fall would seal the offensive.", [("Douma", "literal")]),  # alone, with no preposition either
        ("He drove to Franklin and back.", [("Franklin", "literal")]),  # a given name, and towns' own name
        ("By Nov. 2 the Kursk region was quiet.", [("Kursk region", "literal")]),
        ("She moved from Robinson College Cambridge to Oxford.", [("Cambridge", "literal"), ("Oxford", "literal")]),
        ("He visited N. Korea and S. Carolina.", [("Korea", "literal"), ("Carolina", "literal")]),
        ("MLA for Nelson-Creston, she said", [("Nelson", "literal"), ("Creston", "literal")]),  # two places' own names
        ("Austro-Hungarian rule", [("Hungarian", "demonym")]),
        ("The US measures. By Henry Lazenby US-based aluminium", [("US", "literal")]),  # "US" is no one's name
        ("US-based firms", [("US", "literal")]),
        ("a Los Angeles-based firm and the Kent-based team", [("Los Angeles", "literal"), ("Kent", "literal")]),
        # a name taken for a first name before another word, or beside a verb of speech with another subject or
        # as its object, is not the person everywhere: its other mentions stay places
        ("The Allendale Woman's Club met. It is based in Allendale.", [("Allendale", "literal")]),
        ("A man who was from Dewsbury said it was cold in Dewsbury.", [("Dewsbury", "literal")]),
        # next to a word that names nothing but is no known name either (a brand), only that mention is none
        ("One ticket sold at Riverdale Lukoil South in Riverdale was the winner.", [("Riverdale", "literal")]),
        # a surname named like a country is the person only there, and a month is nobody's given name
        ("Michael Jordan visited Jordan.", [("Jordan", "literal")]),
        ("In May Jordan reopened its border.", [("Jordan", "associative")]),
    ],
)
def test_places_next_to_names_stay_places(recogniser: RuleRecogniser, text: str, expected: list) -> None:
    assert found(recogniser, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Slovenia made a smaller diplomatic step.", [("Slovenia", "associative")]),  # a state acting
        ("China and Russia welcome the plan.", [("China", "associative"), ("Russia", "associative")]),
        ("Officials voiced Moscow's concern over the talks.", [("Moscow", "associative")]),
        (
            "Tunisia has strengthened its relations with Algeria.",
            [("Tunisia", "associative"), ("Algeria", "associative")],  # a party to relations
        ),
        ("The inquiry looked at an investigation by the United States.", [("United States", "associative")]),
        ("Brussels weighed new sanctions on Russia.", [("Brussels", "literal"), ("Russia", "associative")]),
        ("He moved to Sudzha in 2019 and lived there.", [("Sudzha", "literal")]),  # the place itself
        ("He was visiting Russia as an envoy.", [("Russia", "literal")]),
        ("Kursk Oblast borders Ukraine.", [("Kursk Oblast", "literal"), ("Ukraine", "literal")]),
        # a state's possession that only a state or people can have, not its land or what is made there
        ("Russia's request was turned down.", [("Russia", "associative")]),
        ("Iran's non-oil exports rose.", [("Iran", "associative")]),
        (
            "Shelling hit Syria's north and Ukraine's side of the border.",
            [("Syria", "literal"), ("Ukraine", "literal")],
        ),
        (
            "India's cash-heavy economy slowed, and Hawaii's available jobs are in services.",
            [("India", "literal"), ("Hawaii", "literal")],
        ),
        # a state acted on by another, or a side opposed
        ("Britain blames Russia for the attack.", [("Britain", "associative"), ("Russia", "associative")]),
        ("Vietnam sees Russia as a partner.", [("Vietnam", "associative"), ("Russia", "associative")]),
        ("It wants Britain and France to answer.", [("Britain", "associative"), ("France", "associative")]),
        # a county, a continent acting
        ("Orange County has made itself vulnerable.", [("Orange County", "associative")]),
        ("Africa has faced instability.", [("Africa", "associative")]),
        ("Shoppers drive from Maui's bigger towns.", [("Maui", "literal")]),
        ("The Bulldogs then outlasted the team, and won against Louisville.", [("Louisville", "associative")]),
        ("He flew from Russia to Iran.", [("Russia", "literal"), ("Iran", "literal")]),
    ],
)
def test_each_mention_is_typed_where_it_stands(recogniser: RuleRecogniser, text: str, expected: list) -> None:
    assert found(recogniser, text) == expected


def test_common_word_place_needs_a_preposition(recogniser: RuleRecogniser) -> None:
    assert found(recogniser, "She grew up in Reading, where") == [("Reading", "literal")]
    assert found(recogniser, "She grew up in Reading and then moved.") == [("Reading", "literal")]
    assert found(recogniser, "A 1-0 defeat to Reading could have ended it.") == [("Reading", "literal")]
    assert found(recogniser, "Reading is fun.") == []
    assert found(recogniser, "He is interested in Reading the letters.") == []  # a gerund and its object
    assert found(recogniser, "the Lagos Chamber of Commerce and Industry") == [("Lagos", "literal")]


def test_british_spellings_are_words_too(recogniser: RuleRecogniser) -> None:
    # "centre" (Centre, a region of Cameroon) and "tyre" are English words, as "center" and "tire" are
    assert found(recogniser, "Tamil Nadu accused the Centre of delay.") == [("Tamil Nadu", "associative")]
    assert found(recogniser, "Tyre Pressure Checks are free.") == []
    assert found(recogniser, "Strikes in Tyre, a port city, went on.") == [("Tyre", "literal")]


def test_a_named_building_is_one_place(recogniser: RuleRecogniser) -> None:
    assert found(recogniser, "They met at the Rogers Centre in May.") == [("Rogers Centre", "literal")]
    assert found(recogniser, "The Centre's application was filed.") == []  # no name before the head word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a conference at Brooklyn's Barclays Center.", ["Brooklyn", "Barclays Center"]),
        ("a shop on Middletown’s New Road", ["Middletown", "New Road"]),
        ("according to Russia's Sputnik news service", ["Russia"]),  # not Russia + a person named Sputnik
        ("as Britain's Daily Mail reported", ["Britain"]),  # not the head of a newspaper's name
        ("Vladimir Putin's Russia", ["Russia"]),  # another name's possessive makes no person of this one
        ("the home at Eva's Village in Paterson", ["Eva's Village", "Paterson"]),  # a person's possessive: one name
    ],
)
def test_a_places_possessive_ends_its_name(recogniser: RuleRecogniser, text: str, expected: list) -> None:
    assert [span.text for span in recogniser.recognise(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ALBUQUERQUE, N.M. (AP) - Documents show", ["ALBUQUERQUE", "N.M."]),  # a dotted state: not "IN", "OK"
        ("HORRY COUNTY, SC (WMBF) - A homeless man", ["HORRY COUNTY", "SC"]),  # a postal code after a dateline
        ("She spoke to reporters in Cork city today.", ["Cork"]),  # a word-place, then a word that goes with it
        ("the Deputy Minister of Kazakhstan Arystan Kakikenov spoke", ["Kazakhstan"]),  # a country is no one's name
        ("the envoy of Armenia to the Holy See Mikayel Minasyan", ["Armenia", "Holy See"]),
        ("The mission arrives in Lagos April 4.", ["Lagos"]),  # a month after it, not a person's name
        ("It was rejected by Manitoba Premier Brian Pallister.", ["Manitoba"]),  # a province is no first name
        ("an economist said Hawaii's growth rate has lagged", ["Hawaii"]),  # nor the one who speaks
        ("A US state revoked it; the U.S. Department of Transportation agreed.", ["US", "U.S."]),  # no "US state"
        (
            "on the shore of Glenrock Lagoon and at Seoul's Jamsil Stadium",
            ["Glenrock Lagoon", "Seoul", "Jamsil Stadium"],
        ),
    ],
)
def test_places_before_names_and_dates_and_state_codes(recogniser: RuleRecogniser, text: str, expected: list) -> None:
    assert [span.text for span in recogniser.recognise(text)] == expected


def test_hashtags_of_places_whose_words_run_together(recogniser: RuleRecogniser) -> None:
    text = "Rain in #NewYork and #SaudiArabia, not #NewYorkTimes or #BlackLivesMatter; #London too."
    spans = recogniser.recognise(text)
    assert [(s.text, s.query) for s in spans] == [
        ("NewYork", "New York"),
        ("SaudiArabia", "Saudi Arabia"),
        ("London", "London"),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert recogniser.recognise("NewYork, without the hash sign") == []


def test_a_post_may_write_large_places_in_lower_case(recogniser: RuleRecogniser) -> None:
    post = "just landed in new york!! flooding in houston again, stuck in traffic in turkey lol"
    assert [s.text for s in recogniser.recognise(post)] == ["new york", "houston"]  # "turkey" is a word too
    article = "The storm moved on. " * 60 + "Flooding in houston was worse."  # an article writes names capitalised
    assert recogniser.recognise(article) == []


def test_a_common_word_before_a_place_qualifies_it(recogniser: RuleRecogniser) -> None:
    assert found(recogniser, "Lending in Eastern Europe rose.") == [("Europe", "literal")]
    assert found(recogniser, "Diamonds were found in South Venezuela.") == [("Venezuela", "literal")]


def test_sentence_of_a_span() -> None:
    text = "First one here. The U.S. said Kyiv would win! Last."
    starts = sentence_bounds(text)
    begin, sentence = sentence_of(text, starts, text.index("Kyiv"))
    assert sentence == "The U.S. said Kyiv would win!"
    assert text[begin:].startswith(sentence)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two! Three? 4 four.", ["One.", "Two!", "Three?", "4 four."]),
        ("Head line\n\n\nBody here.", ["Head line", "Body here."]),
        ('He said "go." Then left.', ['He said "go."', "Then left."]),
        ("Mr. Smith and J. Doe met Dr. Who in St. Louis.", ["Mr. Smith and J. Doe met Dr. Who in St. Louis."]),
        ("Prices rose 3.5 percent. e.g. not here.", ["Prices rose 3.5 percent. e.g. not here."]),
        ("Ends at a line end.\nNext line. (Aside.) Last.", ["Ends at a line end.", "Next line.", "(Aside.)", "Last."]),
    ],
)
def test_sentence_bounds(text: str, sentences: list[str]) -> None:
    starts = sentence_bounds(text)
    assert [sentence_of(text, starts, start)[1] for start in starts] == sentences


def test_what_a_name_matches_is_remembered_but_context_is_judged_each_time(gazetteer: Gazetteer) -> None:
    recogniser = RuleRecogniser(gazetteer)  # fresh: its word and window caches start empty
    text = "Reading is fun. She grew up in Reading. Moscow has said no. Officials in Moscow met."
    expected = [("Reading", "literal"), ("Moscow", "associative"), ("Moscow", "literal")]
    assert found(recogniser, text) == expected
    assert found(recogniser, text) == expected  # the second pass reads the caches the first filled
    assert found(RuleRecogniser(gazetteer, index=recogniser.index), text) == expected


def test_many_datelines_in_one_text_keep_every_span(recogniser: RuleRecogniser) -> None:
    # a long dump of wire copy: thousands of dateline lines, each paragraph judged as on its own
    paragraphs = [
        "NEW YORK: Talks in Geneva and Paris went on.",
        "KYIV, Ukraine — Shelling hit Sudzha and Kharkiv.",
        "MOSCOW (AP) — Russia said Kursk region was calm.",
    ]
    alone = [recogniser.recognise(p) for p in paragraphs]
    text = "\n\n".join(paragraphs * 1000)
    spans = recogniser.recognise(text)
    expected = []
    offset = 0
    for n in range(3000):
        paragraph = paragraphs[n % 3]
        expected.extend((s.start + offset, s.end + offset, s.text, s.type) for s in alone[n % 3])
        offset += len(paragraph) + 2
    assert [(s.start, s.end, s.text, s.type) for s in spans] == expected
    assert sum(s.type == "dateline" for s in spans) == 3000
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))  # none overlap


# The words _ASSOCIATIVE's alternations start with, and others, as a text after a place name is made of.
_AFTER_PIECES = st.sampled_from(
    " |  |\n|'s|’s| and the UK| and|has|HAS|not|plans|plan|Plans|leaders|leader|Government|doesn't|doesn’t|said|say|"
    "air force|AIR FORCE|called on|called|Ministry|ſaid|K|é|x|,|.|was|repeatedly|president|Президент|1".split("|")
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_AFTER_PIECES, max_size=8).map("".join))
def test_the_word_test_before_the_associative_expression_misses_no_match(after: str) -> None:
    from geomap.recognise import _ASSOCIATIVE, _may_be_associative

    text = "Moscow" + after
    if _ASSOCIATIVE.match(text, 6, 6 + 80):
        assert _may_be_associative(text, 6)
