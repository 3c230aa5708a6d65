"""Who said it is a kind, not a reason to rank higher: the scorers read each
sentence without its attribution frame (claims.extraction.attribution)."""

from pathlib import Path

import pytest

from claims.extraction import extract_claims, score_sentences, strip_attribution

PAIRS = [
    line.split("\t")
    for line in (Path(__file__).parent / "data" / "quote_pairs.tsv")
    .read_text(encoding="utf-8")
    .splitlines()[1:]
]


@pytest.mark.parametrize(("bare", "attributed"), PAIRS)
def test_an_attributed_claim_scores_as_the_bare_claim(bare, attributed):
    assert strip_attribution(attributed) == bare
    assert score_sentences([attributed]) == score_sentences([bare])


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "Unemployment fell to 3.9%, the lowest in a decade, the ministry said on Friday.",
            "Unemployment fell to 3.9%, the lowest in a decade.",
        ),
        ("The mayor said on Tuesday that crime fell by half.", "Crime fell by half."),
        (
            "“We will build 300,000 homes a year,” the minister said.",
            "We will build 300,000 homes a year.",
        ),
        (
            "According to the census, the city has 120,000 residents.",
            "The city has 120,000 residents.",
        ),
        ("The bill, the governor said, would cost $3 billion.", "The bill would cost $3 billion."),
        ("Ticket sales rose, said a spokesperson for the club.", "Ticket sales rose."),
    ],
)
def test_frames_come_off(sentence, claim):
    assert strip_attribution(sentence) == claim


@pytest.mark.parametrize(
    "sentence",
    [
        "Since the depths of the recession, we have added four million jobs.",
        "Ladies and gentlemen, that's just not true what he said.",
        "No one can say what that course of action will be.",
        "The United States, Canada and Mexico signed the deal in 1992.",
        "He said nothing.",
        "Thank you, Lester.",
    ],
)
def test_sentences_without_a_frame_are_left_alone(sentence):
    assert strip_attribution(sentence) == sentence


def test_the_quote_is_still_tagged_as_a_kind_and_its_text_kept():
    text = "Crime in the city fell by 8 percent last year, the police chief said."
    (candidate,) = extract_claims(text)
    assert candidate.text == text
    assert "quote_attribution" in candidate.kinds
    assert candidate.score == score_sentences(["Crime in the city fell by 8 percent last year."])[0]
