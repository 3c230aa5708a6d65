"""The claim without its attribution frame, for scoring.

"Crime fell by 8 percent, the police chief said." and "Crime fell by 8
percent." make the same claim; who said it is a claim *kind*
(quote_attribution), not a reason to rank the sentence higher. Both
training corpora label attributed statements check-worthy more often, so
the scorers see every sentence with its frame taken off:

* "According to X, ..." at the start, ", according to X." at the end;
* ", X said." / ", said X." / ", X told reporters." at the end (a short
  tail after the last comma, with a speech verb and no number), and
  ", X said," inside;
* "X said (that) ..." / "X told Y that ..." at the start;
* quotation marks.

Offsets never depend on this: it only changes the text the scorers read.
"""

from __future__ import annotations

import re

_VERBS = (
    r"(?:said|says|told|tells|argued|argues|argue|claimed|claims|claim|stated|"
    r"reported|wrote|writes|noted|admitted|admits|insisted|insists|warned|"
    r"warns|announced|announces|explained|explains|pointed out|points out|alleged|alleges|"
    r"allege|acknowledged|acknowledges|conceded|concedes|confirmed|confirms|testified|"
    r"testifies|tweeted|asserted|asserts|maintained|maintains|contended|contends|boasted|"
    r"boasts|complained|complains|recalled|recalls|revealed|reveals|disclosed|discloses|"
    r"declared|declares)"
)
# A speaker: a few words, not a pronoun clause ("we have", "what he") or an auxiliary.
_NOT_SPEAKER = (
    r"(?!(?:i|we|you|it|that|what|which|this|just|now|if|so|and|but|as)\b)"
    r"(?!(?:[\w'’.-]+\s){0,4}(?:have|has|had|will|would|can|could|should|do|does|did|"
    r"don't|didn't|not|never)\b)"
)
_SPEAKER = _NOT_SPEAKER + r"(?:[\w'’.-]+\s){1,6}?"
_OBJECT = r"(?:\s(?:the\s|a\s|an\s|his\s|her\s|their\s|its\s)?[\w'’-]+){0,2}"
_QUOTES = '"“”„‟«»'
_LEAD_ACCORDING = re.compile(r"^according to [^,]{1,80},\s+", re.IGNORECASE)
_TAIL_ACCORDING = re.compile(r",\s+according to [^,]{1,80}?([.!?]?)\s*$", re.IGNORECASE)
# ", the senator said." / ", union officials argued." / ", the mayor told residents."
_TAIL_SAID = re.compile(rf",\s+{_SPEAKER}{_VERBS}{_OBJECT}([.!?]?)\s*$", re.IGNORECASE)
# ", said a spokesperson."
_TAIL_SAID_X = re.compile(r",\s+(?:said|says)\s+[^,\d]{1,40}?([.!?]?)\s*$", re.IGNORECASE)
# ", the governor said," inside the sentence
_MID_SAID = re.compile(rf",\s+{_SPEAKER}{_VERBS},\s+", re.IGNORECASE)
# "X said that ...", "Parents told the board that ...", "Campaigners allege that ..."
_LEAD_THAT = re.compile(rf"^{_SPEAKER}{_VERBS}{_OBJECT}\sthat\s+", re.IGNORECASE)
# "The company says the plant ..." (say or claim, no "that")
_LEAD_SAYS = re.compile(
    rf"^{_SPEAKER}(?:says|said|claims|claimed)\s+(?=\S+\s\S+\s\S+)", re.IGNORECASE
)


def strip_attribution(sentence: str) -> str:
    """``sentence`` with its attribution frame and quotation marks removed
    (unchanged when it has none, or when fewer than three words would be left)."""
    text = sentence.strip()
    for q in _QUOTES:
        text = text.replace(q, "")
    stripped = _LEAD_ACCORDING.sub("", text)
    stripped = _TAIL_ACCORDING.sub(r"\1", stripped)
    stripped = _TAIL_SAID.sub(lambda m: m.group(1) or ".", stripped, count=1)
    stripped = _TAIL_SAID_X.sub(lambda m: m.group(1) or ".", stripped, count=1)
    stripped = _MID_SAID.sub(" ", stripped, count=1)
    stripped = _LEAD_THAT.sub("", stripped, count=1)
    stripped = _LEAD_SAYS.sub("", stripped, count=1)
    stripped = stripped.strip(" ,;:")
    if stripped == text or len(stripped.split()) < 3:
        return text
    if not text.startswith(stripped[:20]):  # the start was cut: it starts a sentence now
        stripped = stripped[0].upper() + stripped[1:]
    return stripped


def strip_all(sentences: list[str]) -> list[str]:
    return [strip_attribution(s) for s in sentences]
