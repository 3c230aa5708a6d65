"""Rule-based claim-kind tagger (Full Fact's taxonomy plus quotes).

Kinds help the editor triage; they are hints, not a classifier's verdict,
so each rule is a short, readable list of cue words. A sentence may carry
several kinds; "other" is given only when no other kind applies.
"""

from __future__ import annotations

import re

QUANTITY = "quantity"
CORRELATION_CAUSATION = "correlation_causation"
PREDICTION = "prediction"
RULES_LAWS = "rules_laws"
PERSONAL_EXPERIENCE = "personal_experience"
QUOTE_ATTRIBUTION = "quote_attribution"
OTHER = "other"

KINDS: tuple[str, ...] = (
    QUANTITY,
    CORRELATION_CAUSATION,
    PREDICTION,
    RULES_LAWS,
    PERSONAL_EXPERIENCE,
    QUOTE_ATTRIBUTION,
    OTHER,
)


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    "fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|"
    "half|twice|double[sd]?|triple[sd]?|quarter|third|majority|minority"
)

_RULES: dict[str, re.Pattern[str]] = {
    QUANTITY: re.compile(
        r"\d|[%$\u00a3\u20ac]|"
        + _words(
            _NUMBER_WORDS,
            r"per ?cent|percentage|proportion|average|rate|ratio|statistics?|figures?",
            r"(?:more|less|fewer|higher|lower) than",
            r"(?:increas|decreas|ris|fall|fell|doubl|halv)(?:e|es|ed|ing)",
            r"most|least|record|highest|lowest|largest|smallest",
        ),
        re.IGNORECASE,
    ),
    CORRELATION_CAUSATION: re.compile(
        _words(
            "because(?: of)?",
            "due to",
            "caus(?:e|es|ed|ing)",
            r"(?:led|leads?|leading) to",
            r"result(?:s|ed|ing)? in",
            "as a result",
            "consequently",
            "therefore",
            r"linked (?:to|with)",
            "associated with",
            r"contribut(?:e|es|ed|ing) to",
            "responsible for",
            r"blam(?:e|es|ed|ing)",
            "thanks to",
            "driven by",
            r"fuel(?:l?ed|s)",
            r"(?:triggered|sparked|prompted|spurred)",
            r"effects? of",
            "impact of",
        ),
        re.IGNORECASE,
    ),
    PREDICTION: re.compile(
        _words(
            "will",
            r"\w+'ll",
            "won't",
            "shall",
            "going to",
            r"(?:expected|set|likely|unlikely|poised|projected|forecast|due) to",
            r"predict(?:s|ed|ion|ions)?",
            r"forecasts?",
            r"project(?:s|ed|ion|ions)",
            "on track to",
            r"next (?:week|month|year|decade|century)",
            r"in the (?:coming|next) (?:days|weeks|months|years|decades)",
            r"by (?:the end of )?20[3-9]\d",
            "in the future",
        ),
        re.IGNORECASE,
    ),
    RULES_LAWS: re.compile(
        _words(
            r"laws?",
            r"legislation|legislative|legislature",
            r"bills?",
            r"acts? of (?:congress|parliament)",
            r"regulations?|regulatory|regulators?",
            r"rules?",
            r"(?:il)?legal(?:ly|ised|ized)?",
            r"unlawful|lawful",
            r"ban(?:s|ned)?",
            r"prohibit(?:s|ed|ion)?",
            r"constitution(?:al)?",
            r"statutes?|statutory",
            r"courts?|ruling|ruled",
            r"treaty|treaties",
            r"mandates?|mandatory",
            r"requires? by law|required by law",
            r"sanctions?",
            r"licen[cs]es?|permits?",
            r"policy|policies",
            r"enacted|repealed|signed into law|vetoed",
        )
        + r"|(?-i:\b[A-Z][a-z]+(?: [A-Z][a-z]+)* Act\b)",
        re.IGNORECASE,
    ),
    PERSONAL_EXPERIENCE: re.compile(
        r"\b(?:I|we)(?:'ve| have| had|'d)?(?: (?:personally|once|never|always|just|also))?"
        r" (?:saw|seen|met|visited|worked|lived|live|grew up|experienced|remember|watched|"
        r"was|were|been|went|heard|felt|lost|spent|raised|taught|served|talked|spoke)\b"
        r"|\bmy (?:own )?(?:family|mother|father|mom|dad|son|daughter|husband|wife|parents|"
        r"children|kids|home|experience|life|brother|sister|grandmother|grandfather)\b"
        r"|\bwhen I was\b|\bin my experience\b",
        re.IGNORECASE,
    ),
    QUOTE_ATTRIBUTION: re.compile(
        _words(
            r"said|says|saying|say",
            r"stated|states",
            r"told|tells",
            "according to",
            r"announced|announces",
            r"claimed|claims|claiming",
            r"argued|argues",
            r"added|noted|warned|insisted|acknowledged|acknowledge|admitted|denied|confirmed",
            r"reported|tweeted|wrote|posted|declared|asserted|maintained",
            r"vowed|pledged|promised",
        )
        + r"|[\"\u201c][^\"\u201d]*\s[^\"\u201d]*[\"\u201d]",
        re.IGNORECASE,
    ),
}


def claim_kinds(sentence: str) -> tuple[str, ...]:
    """The claim kinds of one sentence, in the order of ``KINDS``."""
    found = tuple(kind for kind, rule in _RULES.items() if rule.search(sentence))
    return found or (OTHER,)
