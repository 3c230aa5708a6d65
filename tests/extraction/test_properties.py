"""Property-based robustness: any text extracts without crashing, spans are sane."""

from hypothesis import given
from hypothesis import strategies as st

from claims.extraction import ExtractionError, extract_claims
from claims.extraction.segmentation import split_sentences

# Pieces real copy is made of, so random texts hit the interesting rules often.
PIECES = st.sampled_from(
    [
        ".",
        ". ",
        "!",
        "?",
        "...",
        "\u2026",
        ",",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        " ",
        "\t",
        '"',
        "'",
        "\u201c",
        "\u201d",
        "\u2018",
        "\u2019",
        "(",
        ")",
        "\u2013",
        "\u2014",
        "-",
        "U.S.",
        "Dr.",
        "a.m.",
        "e.g.",
        "No. 10",
        "$1.5",
        "3.5%",
        "example.com",
        "a@b.org",
        "The",
        "he said",
        "Washington \u2013 ",
        "WASHINGTON (Reuters) - ",
        "By Jane Doe",
        "- ",
        "* ",
        "\u2022 ",
        "1. ",
        "jails.The",
        "contention,with",
        "Headline Words Here",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join),
)


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    prev_end = 0
    for start, end in spans:
        assert 0 <= prev_end <= start < end <= len(text)
        assert text[start:end].strip()
        prev_end = end


@given(TEXTS)
def test_split_sentences_spans_are_ordered_and_inside(text):
    check_spans(text, split_sentences(text))


@given(TEXTS)
def test_extract_claims_never_raises_and_is_consistent(text):
    candidates = extract_claims(text)
    check_spans(text, [(c.start, c.end) for c in candidates])
    for i, c in enumerate(candidates):
        assert c.text == text[c.start : c.end]
        assert c.text.strip()
        assert 0.0 <= c.score <= 1.0
        assert c.position == i
        assert c.kinds and all(isinstance(k, str) for k in c.kinds)


@given(st.text(min_size=11, max_size=40))
def test_over_limit_raises_extraction_error_only(text):
    try:
        extract_claims(text, max_chars=10)
    except ExtractionError:
        return
    raise AssertionError("expected ExtractionError")
