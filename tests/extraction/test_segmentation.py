from pathlib import Path

import pytest

from claims.extraction.segmentation import split_sentences

SEED = Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# --- the sample article -----------------------------------------------------


def test_seed_article_is_exactly_17_sentences():
    text = SEED.read_text(encoding="utf-8")
    spans = split_sentences(text)
    got = [text[s:e] for s, e in spans]
    assert len(got) == 17
    assert got[0].startswith("The United States is pressing Israel")
    assert got[0].endswith("according to sources familiar with the discussions.")
    assert spans[0][0] == text.index("The United States is pressing")
    assert not any("US Urges Israel" in s for s in got)  # the headline
    # "jails.The US" is two sentences; "contention,with" is not a split.
    assert got[11].endswith("held in Israeli jails.")
    assert got[12].startswith("The US is also working to secure")
    assert "points of contention,with Israel seeking" in got[7]
    assert got[15] == (
        "Secretary of State Antony Blinken recently stated that the US would not support a "
        "military operation that does not have a \u201cclear and achievable plan\u201d for "
        "protecting civilians."
    )
    assert got[16].endswith("conditions for a sustainable ceasefire.")
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()


def test_fixture_is_byte_exact_copy():
    shared = SEED.parents[2].parent / "shared" / "data" / "seed-article.txt"
    if not shared.exists():
        pytest.skip("shared data not mounted")
    assert SEED.read_bytes() == shared.read_bytes()


# --- run-together copy --------------------------------------------------------


def test_missing_space_after_full_stop_splits_with_original_offsets():
    text = "Prisoners are held in jails.The US is also working on aid."
    assert split_sentences(text) == [(0, 28), (28, 58)]
    assert sentences(text) == ["Prisoners are held in jails.", "The US is also working on aid."]


def test_missing_space_after_comma_is_not_a_split():
    text = "Points of contention,with Israel seeking guarantees. Talks go on."
    assert sentences(text) == [
        "Points of contention,with Israel seeking guarantees.",
        "Talks go on.",
    ]


def test_question_and_exclamation_without_space():
    assert sentences("Is it true?Nobody knows!Really.") == [
        "Is it true?",
        "Nobody knows!",
        "Really.",
    ]


# --- abbreviations, numbers, URLs ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith met Sen. Jones and Mr. and Mrs. Brown at 9 a.m. on Jan. 5 in the U.S. Capitol.",
        "The U.K. and the U.S. signed it at No. 10 Downing St. at 4 p.m. yesterday.",
        "Firms, e.g. Acme Inc. and Foo Corp., i.e. the big ones, grew.",
        "Revenue rose 3.5% to $1.5 billion, or 2.25 times the 1.0 forecast.",
        "See example.com or www.example.org/page.html or mail press@example.com for details.",
        "J. R. Smith spoke first.",
    ],
)
def test_no_split_inside_abbreviations_numbers_and_urls(text):
    assert sentences(text) == [text]


def test_abbreviation_at_sentence_end_before_an_opener():
    text = "He moved to the U.S. The move was hard. They left at 5 p.m. It rained."
    assert sentences(text) == [
        "He moved to the U.S.",
        "The move was hard.",
        "They left at 5 p.m.",
        "It rained.",
    ]


def test_etc_before_new_sentence():
    assert sentences("Apples, pears, etc. They sold out.") == [
        "Apples, pears, etc.",
        "They sold out.",
    ]


# --- quotes and ellipses ----------------------------------------------------------


def test_sentence_ends_after_closing_quote():
    text = 'He said, "We will win." Then he left.'
    assert split_sentences(text) == [(0, 23), (24, 37)]
    assert sentences(text) == ['He said, "We will win."', "Then he left."]


def test_curly_and_nested_quotes():
    text = "\u201cShe told me \u2018no.\u2019\u201d Then we left. \u201cWhy?\u201d he asked."
    assert sentences(text) == [
        "\u201cShe told me \u2018no.\u2019\u201d",
        "Then we left.",
        "\u201cWhy?\u201d he asked.",
    ]


def test_ellipses():
    text = "We waited... and waited\u2026 Then it came... Nothing else."
    assert sentences(text) == ["We waited... and waited\u2026", "Then it came...", "Nothing else."]


# --- datelines, bylines, headlines ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Washington \u2013 The talks resumed. Both sides came.", "The talks resumed."),
        (
            "WASHINGTON (Reuters) - The Senate voted on Monday. It passed.",
            "The Senate voted on Monday.",
        ),
        ("NEW YORK, Jan. 5 (AP) \u2014 Stocks fell 2%. Bonds rose.", "Stocks fell 2%."),
        ("GAZA CITY \u2014 Aid trucks arrived. More are due.", "Aid trucks arrived."),
    ],
)
def test_datelines_are_left_out(text, first):
    got = sentences(text)
    assert got[0] == first
    assert len(got) == 2


def test_dash_inside_a_first_sentence_is_not_a_dateline():
    text = "Biden \u2014 who is 81 \u2014 said he would run. He did."
    assert sentences(text)[0] == "Biden \u2014 who is 81 \u2014 said he would run."


def test_headline_and_byline_are_not_sentences():
    text = "Ceasefire Talks Stall in Cairo\n\nBy Jane Doe\n\nCAIRO \u2014 Talks stalled on Sunday. Mediators left."
    assert sentences(text) == ["Talks stalled on Sunday.", "Mediators left."]


def test_sentence_case_headline_on_first_line():
    text = "Ceasefire talks stall in Cairo\nTalks stalled on Sunday, officials said. Mediators left the city."
    assert sentences(text) == [
        "Talks stalled on Sunday, officials said.",
        "Mediators left the city.",
    ]


def test_subheading_between_paragraphs():
    text = "Prices rose. Wages fell.\n\nWhat Comes Next\n\nThe bank meets in May."
    assert sentences(text) == ["Prices rose.", "Wages fell.", "The bank meets in May."]


def test_single_line_without_punctuation_is_a_sentence():
    assert sentences("Prices rose sharply") == ["Prices rose sharply"]


# --- layout: bullets, paragraphs, CRLF ----------------------------------------------------


def test_bullet_items_are_sentences_without_markers():
    text = "The plan has parts:\n- a ceasefire\n* aid for Gaza.\n\u2022 hostage releases\n1. Talks resume. Then votes.\n2) Monitors"
    assert sentences(text) == [
        "The plan has parts:",
        "a ceasefire",
        "aid for Gaza.",
        "hostage releases",
        "Talks resume.",
        "Then votes.",
        "Monitors",
    ]
    first_item = split_sentences(text)[1]
    assert first_item == (text.index("a ceasefire"), text.index("a ceasefire") + len("a ceasefire"))


def test_blank_lines_and_crlf():
    text = "First para one. First para two.\r\n\r\nSecond para.\r\nThird para.\r\n"
    assert split_sentences(text) == [(0, 15), (16, 31), (35, 47), (49, 60)]


def test_hard_wrapped_paragraph_is_joined():
    text = "The agency said that prices in the region rose\nsharply in March. Analysts agreed."
    assert sentences(text) == [
        "The agency said that prices in the region rose\nsharply in March.",
        "Analysts agreed.",
    ]


def test_unicode_dashes_do_not_split():
    text = "The US believes the move \u2013 while sensitive \u2014 is needed. It said so."
    assert sentences(text) == [
        "The US believes the move \u2013 while sensitive \u2014 is needed.",
        "It said so.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t", "...", " \u2014 "])
def test_nothing_to_split(text):
    assert split_sentences(text) == []
