"""Rule-based sentence segmentation that only computes spans.

The article text is never modified: every function here returns
``(start, end)`` character offsets into the original string, so claim offsets
stay valid for highlighting. Real copy is messy ("jails.The US",
"contention,with", datelines, bullets, CRLF), so the rules are deliberately
conservative: split only where a sentence end is likely, never inside
decimals, URLs, e-mail addresses or known abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

# Line breaks we honour; str.splitlines() also splits on \x1c-\x1f etc., which
# never appear as line breaks in real copy.
_NEWLINE_RE = re.compile(r"\r\n|\r|\n|\u2028|\u2029")

# A run of sentence-final punctuation plus any closing quotes/brackets after it.
_TERMINAL_RE = re.compile(r"(?:\.{2,}|[.!?\u2026])+[\"'\u201d\u2019\u00bb)\]]*")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_TERMINAL_CHARS = ".!?\u2026"

# Bullet markers at the start of a line: -, *, •, ‣, ◦, ▪, ●, –, —, "1." "1)" "(1)".
_BULLET_RE = re.compile(
    r"[ \t]*(?:[-*\u2022\u2023\u25e6\u25aa\u25cf\u00b7\u2013\u2014]|\d{1,3}[.)]|\(\d{1,3}\))[ \t]+(?=\S)"
)
_BYLINE_RE = re.compile(
    r"[ \t]*By\s+[A-Z][\w.'\u2019-]*(?:[ ,]+(?:and\s+)?[A-Z&|][\w.'\u2019|-]*){0,6}[ \t]*$"
)

# "WASHINGTON (Reuters) -", "Washington –", "NEW YORK, Jan. 5 (AP) —".
_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'\u2019]*(?:[ ,]+(?:[A-Z][A-Za-z.'\u2019]*|\d{1,4}(?:st|nd|rd|th)?))"
    r"{0,5}),?[ \t]*(?P<agency>\([A-Z][\w .&'\u2019-]{0,30}\))?[ \t]*"
    r"(?P<dash>--|[\u2013\u2014]|-)[ \t]+(?=\S)"
)

# Titles before a name: a full stop after them never ends a sentence.
_NEVER_FINAL = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sen",
        "sens",
        "rep",
        "reps",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cpt",
        "maj",
        "cmdr",
        "adm",
        "supt",
        "rev",
        "hon",
        "pres",
        "fr",
        "sr",
        "jr",
        "st",
        "messrs",
        "mme",
        "mlle",
        "vs",
        "v",
        "cf",
        "approx",
        "fig",
        "figs",
        "vol",
        "pp",
        "ch",
        "sec",
        "art",
        "ft",
        "mt",
        "ave",
        "blvd",
        "dept",
        "univ",
        "assn",
        "esp",
        "ref",
        "eg",
        "ie",
    ]
)
# Abbreviations that may also end a sentence: split only before a typical
# sentence opener ("... in the U.S. The talks ...").
_MAYBE_FINAL = frozenset(
    [
        "inc",
        "ltd",
        "co",
        "corp",
        "llc",
        "plc",
        "bros",
        "etc",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "no",
        "nos",
    ]
)
_NEVER_FINAL_DOTTED = frozenset({"e.g", "i.e", "cf", "viz", "a.k.a", "n.b"})
_DOTTED_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "there",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "however",
        "meanwhile",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "officials",
        "some",
        "many",
        "most",
        "no",
        "not",
        "what",
        "why",
        "how",
        "who",
        "where",
        "which",
        "one",
        "two",
        "its",
    ]
)
_URLISH_RE = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu|io|co|uk|de|fr)\b", re.IGNORECASE)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "for",
        "nor",
        "of",
        "on",
        "in",
        "to",
        "at",
        "by",
        "with",
        "from",
        "as",
        "vs",
        "into",
        "over",
        "after",
        "than",
        "up",
        "off",
        "per",
        "via",
        "is",
        "are",
        "be",
        "its",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019-]*")


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # first character of the line
    end: int  # end of the line, before its line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for m in _NEWLINE_RE.finditer(text):
        lines.append(_Line(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    lines.append(_Line(pos, len(text), text[pos:]))
    return lines


def _ends_terminal(s: str) -> bool:
    s = s.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL_CHARS + ":;"


def _title_like(s: str) -> bool:
    words = [w for w in _WORD_RE.findall(s) if w.lower() not in _STOPWORDS]
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def _is_headline(lines: list[_Line], i: int, first_content: bool) -> bool:
    """A short standalone line without terminal punctuation, above other text."""
    line = lines[i]
    s = line.text.strip()
    if _ends_terminal(s) or len(s) > 200 or len(s.split()) > 20:
        return False
    prev_blank = i == 0 or lines[i - 1].blank
    nxt = next((ln for ln in lines[i + 1 :] if not ln.blank), None)
    if nxt is None:
        return False  # a lone line is the text itself, not a headline
    next_line = lines[i + 1] if i + 1 < len(lines) else None
    next_blank = next_line is None or next_line.blank
    nxt_s = nxt.text.strip()
    continues = nxt_s[:1].islower()  # a hard-wrapped sentence goes on in lower case
    if not (prev_blank or first_content) or (continues and not next_blank):
        return False
    if _title_like(s):
        return True
    # Sentence-case headline: only as the first line, clearly shorter than the text below.
    return first_content and (next_blank or len(s) < 0.7 * len(nxt_s))


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Group lines into paragraphs / bullet items: (start, end, is_first_body_block)."""
    lines = _lines(text)
    blocks: list[tuple[int, int, bool]] = []
    cur_start: int | None = None
    cur_end = 0
    cur_is_bullet = False
    seen_content = False

    def flush() -> None:
        nonlocal cur_start
        if cur_start is not None:
            blocks.append((cur_start, cur_end, not blocks))
        cur_start = None

    for i, line in enumerate(lines):
        if line.blank:
            flush()
            continue
        first_content = not seen_content
        seen_content = True
        bullet = _BULLET_RE.match(line.text)
        if bullet:
            flush()
            cur_start, cur_end, cur_is_bullet = line.start + bullet.end(), line.end, True
            continue
        if _BYLINE_RE.match(line.text) or _is_headline(lines, i, first_content):
            flush()
            continue
        if cur_start is not None and cur_is_bullet and not line.text[:1].isspace():
            flush()  # an unindented line after a bullet starts a new paragraph
        if cur_start is None:
            cur_start, cur_is_bullet = line.start, False
        cur_end = line.end
    flush()
    return blocks


def _token_before(text: str, pos: int, lo: int) -> str:
    """The whitespace-delimited token ending at ``pos`` (exclusive), without openers."""
    i = pos
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:pos].lstrip("\"'(\u201c\u2018[\u00ab")


def _next_word(text: str, pos: int, hi: int) -> str:
    m = _WORD_RE.match(text, pos, hi)
    return m.group(0) if m else ""


def _abbrev_blocks_split(tok: str, nxt_word: str, nxt_char: str) -> bool:
    """True if a full stop after ``tok`` is an abbreviation point, not a sentence end."""
    low = tok.lower()
    if len(tok) == 1 and tok.isalpha():
        return True  # an initial: "J. Smith"
    if low in _NEVER_FINAL or low in _NEVER_FINAL_DOTTED:
        return True
    opener = nxt_word.lower() in _OPENERS and nxt_word[:1].isupper()
    if low in ("no", "nos") and nxt_char.isdigit():
        return True
    if low in _MAYBE_FINAL or _DOTTED_RE.fullmatch(tok):
        return not opener
    return False


def _split_block(text: str, lo: int, hi: int) -> list[int]:
    """Sentence boundaries (end offsets) strictly inside ``text[lo:hi]``."""
    cuts: list[int] = []
    for m in _TERMINAL_RE.finditer(text, lo, hi):
        s, e = m.start(), m.end()
        if e >= hi:
            break
        punct = m.group(0).rstrip(_CLOSERS)
        c = text[e]
        if c.isspace():
            n = e
            while n < hi and text[n].isspace():
                n += 1
            if n >= hi:
                break
            newline = "\n" in text[e:n] or "\r" in text[e:n]
            nxt = text[n]
            if punct == "." and e == s + 1:
                tok = _token_before(text, s, lo)
                if tok and _abbrev_blocks_split(tok, _next_word(text, n, hi), nxt):
                    continue
            if nxt.islower() and not newline:
                continue  # "approx. three", "Why?" he asked
            if punct[0] in ".\u2026" and len(punct) > 1 and not (nxt.isupper() or newline):
                continue  # ellipsis inside a sentence
            cuts.append(e)
        else:
            # No space after the stop: "jails.The US" splits, "3.5", "example.com" do not.
            if not (c.isupper() and e + 1 < hi and text[e + 1].islower()):
                continue
            before = text[s - 1] if s > lo else ""
            if not (before.islower() or before.isdigit() or before in "%)\"'\u201d\u2019"):
                continue
            i = s
            while i > lo and not text[i - 1].isspace():
                i -= 1
            j = e
            while j < hi and not text[j].isspace():
                j += 1
            if _URLISH_RE.search(text, i, j):
                continue
            tok = _token_before(text, s, lo)
            if punct == "." and tok and _abbrev_blocks_split(tok, "", c):
                continue
            cuts.append(e)
    return cuts


def _strip_dateline(text: str, start: int, end: int, first_block: bool) -> int:
    m = _DATELINE_RE.match(text, start, end)
    if not m or m.end() - start > 60:
        return start
    place = m.group("place")
    after = text[m.end()] if m.end() < end else ""
    if not (after.isupper() or after.isdigit() or after in "\"\u201c'\u2018"):
        return start  # "Biden — who is 81 — said" is a sentence, not a dateline
    shouting = any(len(w) >= 3 and w.isupper() for w in place.split())
    spaced_dash = m.group("dash") != "-" or text[m.start("dash") - 1].isspace()
    if shouting or m.group("agency") or (first_block and spaced_dash and len(place.split()) <= 3):
        return m.end()
    return start


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_word_char(text: str, start: int, end: int) -> bool:
    for i in range(start, end):
        if text[i].isalnum():
            return True
    return False


def split_sentences(text: str) -> list[Span]:
    """Return ``(start, end)`` spans of the sentences of ``text``, in order.

    Headlines and bylines are skipped, datelines are left out of the first
    sentence, bullet markers are left out of bullet items. ``text`` itself is
    never changed, so ``text[start:end]`` is always the sentence.
    """
    spans: list[Span] = []
    for lo, hi, first_block in _blocks(text):
        lo, hi = _trim(text, lo, hi)
        if lo >= hi:
            continue
        lo = _strip_dateline(text, lo, hi, first_block)
        prev = lo
        for cut in [*_split_block(text, lo, hi), hi]:
            s, e = _trim(text, prev, cut)
            prev = cut
            if s < e and _has_word_char(text, s, e):
                spans.append((s, e))
    return spans
