import pytest

from claims.extraction.kinds import KINDS, claim_kinds


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Unemployment fell to 3.5% last year.", "quantity"),
        ("The program cost $1.5 billion.", "quantity"),
        ("More than a million Palestinians are sheltering in Rafah.", "quantity"),
        ("Crime rose because of the new policy on bail.", "correlation_causation"),
        ("Smoking causes cancer.", "correlation_causation"),
        ("The tax cut led to higher deficits.", "correlation_causation"),
        ("The economy will shrink next year.", "prediction"),
        ("Prices are expected to rise.", "prediction"),
        ("Analysts predict a recession.", "prediction"),
        ("It is illegal to sell alcohol to minors.", "rules_laws"),
        ("The Affordable Care Act requires insurers to cover everyone.", "rules_laws"),
        ("Congress passed a bill banning the practice.", "rules_laws"),
        ("I grew up in a small town in Ohio.", "personal_experience"),
        ("When I was a child, my family had no health insurance.", "personal_experience"),
        ("We have seen the damage with our own eyes.", "personal_experience"),
        ("Blinken said the US would not support the operation.", "quote_attribution"),
        ("According to officials, the talks stalled.", "quote_attribution"),
        ("He called it \u201ca clear and achievable plan\u201d on Monday.", "quote_attribution"),
    ],
)
def test_clear_examples(sentence, kind):
    assert kind in claim_kinds(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The sky looked grey over the harbour.",
        "Negotiations have been fraught with difficulty.",
        "",
    ],
)
def test_other_only_when_nothing_else(sentence):
    assert claim_kinds(sentence) == ("other",)


def test_several_kinds_in_canonical_order():
    kinds = claim_kinds("The minister said unemployment will fall to 4% because of the new law.")
    assert kinds == (
        "quantity",
        "correlation_causation",
        "prediction",
        "rules_laws",
        "quote_attribution",
    )
    assert "other" not in kinds


def test_kind_values_are_the_contract():
    assert KINDS == (
        "quantity",
        "correlation_causation",
        "prediction",
        "rules_laws",
        "personal_experience",
        "quote_attribution",
        "other",
    )


def test_lowercase_act_is_not_a_law():
    assert "rules_laws" not in claim_kinds("We need to act now.")
