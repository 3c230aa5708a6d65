"""Reading other publishers' fact-checks for the archive (no Django here).

Three shapes come in:

- schema.org ClaimReview JSON-LD: one object, a list of them, an ``@graph``,
  or an HTML page holding them in ``<script type="application/ld+json">`` tags;
- the JSON that Google's Fact Check Tools API ``claims:search`` answers with
  (``{"claims": [{"text", "claimant", "claimDate", "claimReview": [...]}]}``);
- CSV with ``claim``, ``rating``, ``url``, ``publisher`` and ``date`` columns
  (``headline``/``conclusion`` and ``language`` optional).

:func:`parse` returns the good records and, for each bad one, where it is
("line 4", "item 2", "claim 3, review 1") and why, so one bad record never
stops the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

CLAIM_MAX_CHARS = 5000
URL_MAX_CHARS = 2000
TEXT_LIMITS = {"rating": 200, "publisher": 200, "language": 20, "conclusion": 2000}


@dataclass(frozen=True)
class FactCheck:
    """One published fact-check, as the archive stores it."""

    claim_text: str
    rating: str
    url: str
    publisher: str = ""
    conclusion: str = ""
    published_on: str = ""  # ISO date, or "" when unknown
    language: str = ""


@dataclass(frozen=True)
class Problem:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Parsed:
    records: list[tuple[str, FactCheck]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class BadRecord(ValueError):
    """One record cannot be imported; the message says why."""


# ---------------------------------------------------------------- entry point


def parse(name: str, data: bytes) -> Parsed:
    """The fact-checks in one file, whichever of the supported shapes it has."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed(problems=[Problem(name, "the file is not UTF-8 text.")])
    stripped = text.lstrip()
    if not stripped:
        return Parsed(problems=[Problem(name, "the file is empty.")])
    lower = name.lower()
    if lower.endswith(".csv"):
        return parse_csv(text)
    if stripped[0] in "[{":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            return Parsed(
                problems=[Problem(name, f"not valid JSON (line {exc.lineno}: {exc.msg}).")]
            )
        return parse_json(document)
    if stripped[0] == "<" or lower.endswith((".html", ".htm")):
        return parse_html(text)
    return parse_csv(text)


def parse_json(document) -> Parsed:
    """Google's claims:search answer, or ClaimReview JSON-LD."""
    if isinstance(document, dict) and isinstance(document.get("claims"), list):
        return parse_google(document)
    return parse_jsonld(document)


# ---------------------------------------------------------------- cleaning one field


def _text(value, limit: int | None = None) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    cleaned = " ".join(str(value).replace("\x00", "").split())
    return cleaned[:limit] if limit else cleaned


def _url(value) -> str:
    url = _text(value)
    if not url:
        raise BadRecord("no URL.")
    if len(url) > URL_MAX_CHARS:
        raise BadRecord("the URL is longer than 2,000 characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise BadRecord(f"the URL must start with http:// or https:// (got “{url[:80]}”).")
    return url


DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(value) -> str:
    raw = _text(value)
    if not raw:
        return ""
    found = DATE_PREFIX.match(raw)
    if found:
        try:
            return dt.date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            pass
    raise BadRecord(f"the date “{raw[:40]}” is not a date (YYYY-MM-DD).")


def make_record(
    *, claim_text, rating, url, publisher="", conclusion="", published_on="", language=""
) -> FactCheck:
    """A FactCheck from raw values, or BadRecord saying what is wrong."""
    claim = _text(claim_text)
    if not claim:
        raise BadRecord("no claim text.")
    if len(claim) > CLAIM_MAX_CHARS:
        raise BadRecord(f"the claim is longer than {CLAIM_MAX_CHARS:,} characters.")
    rating_text = _text(rating, TEXT_LIMITS["rating"])
    if not rating_text:
        raise BadRecord("no rating.")
    return FactCheck(
        claim_text=claim,
        rating=rating_text,
        url=_url(url),
        publisher=_text(publisher, TEXT_LIMITS["publisher"]),
        conclusion=_text(conclusion, TEXT_LIMITS["conclusion"]),
        published_on=_date(published_on),
        language=_text(language, TEXT_LIMITS["language"]),
    )


# ---------------------------------------------------------------- ClaimReview JSON-LD


def _types(node: dict) -> set[str]:
    kind = node.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _rating_text(rating) -> str:
    if not isinstance(rating, dict):
        return _text(rating)
    words = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if words:
        return words
    value = _text(rating.get("ratingValue"))
    if value:
        best = _text(rating.get("bestRating"))
        return f"{value}/{best}" if best else value
    return ""


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def claim_review_record(node: dict) -> FactCheck:
    """One ClaimReview object as a FactCheck."""
    author = _first(node.get("author")) or _first(node.get("publisher")) or {}
    rating = _first(node.get("reviewRating"))
    explanation = rating.get("ratingExplanation") if isinstance(rating, dict) else ""
    return make_record(
        claim_text=node.get("claimReviewed"),
        rating=_rating_text(rating),
        url=node.get("url"),
        publisher=author,
        conclusion=node.get("headline") or node.get("name") or explanation or "",
        published_on=node.get("datePublished") or "",
        language=node.get("inLanguage") or "",
    )


def _jsonld_nodes(document) -> list[tuple[str, object, bool]]:
    """(where, node, strict) for each candidate node; in an @graph other node
    types are normal (WebPage, Organization) and skipped without a problem."""
    if isinstance(document, list):
        return [(f"item {i}", node, True) for i, node in enumerate(document, 1)]
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        return [(f"@graph item {i}", node, False) for i, node in enumerate(document["@graph"], 1)]
    return [("item 1", document, True)]


def parse_jsonld(document, *, prefix: str = "", in_page: bool = False) -> Parsed:
    """ClaimReview nodes of a JSON-LD document; in a page (`in_page`) other nodes
    are normal and skipped without a problem."""
    parsed = Parsed()
    for where, node, strict in _jsonld_nodes(document):
        strict = strict and not in_page
        where = f"{prefix}{where}"
        if not isinstance(node, dict):
            parsed.problems.append(Problem(where, "not a JSON object."))
            continue
        if "ClaimReview" not in _types(node):
            if strict:
                kind = _text(node.get("@type")) or "none"
                parsed.problems.append(Problem(where, f"not a ClaimReview (@type is {kind})."))
            continue
        try:
            parsed.records.append((where, claim_review_record(node)))
        except BadRecord as exc:
            parsed.problems.append(Problem(where, str(exc)))
    if not parsed.records and not parsed.problems:
        parsed.problems.append(Problem(prefix.rstrip(", ") or "file", "no ClaimReview found."))
    return parsed


class _JsonLdScripts(HTMLParser):
    """Collects the text of every <script type="application/ld+json">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def parse_html(text: str) -> Parsed:
    reader = _JsonLdScripts()
    reader.feed(text)
    reader.close()
    parsed = Parsed()
    for number, script in enumerate(reader.scripts, 1):
        where = f"script {number}"
        try:
            document = json.loads(script)
        except json.JSONDecodeError as exc:
            parsed.problems.append(Problem(where, f"not valid JSON ({exc.msg})."))
            continue
        found = parse_jsonld(document, prefix=f"{where}, ", in_page=True)
        # Pages carry other JSON-LD too (breadcrumbs, articles): only say so when
        # nothing on the page was a ClaimReview.
        parsed.records += found.records
        parsed.problems += [p for p in found.problems if "no ClaimReview" not in p.reason]
    if not parsed.records and not parsed.problems:
        parsed.problems.append(Problem("page", "no ClaimReview JSON-LD found in the page."))
    return parsed


# ---------------------------------------------------------------- Google Fact Check Tools


def parse_google(document: dict) -> Parsed:
    parsed = Parsed()
    for i, item in enumerate(document["claims"], 1):
        where = f"claim {i}"
        if not isinstance(item, dict):
            parsed.problems.append(Problem(where, "not a JSON object."))
            continue
        reviews = item.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            parsed.problems.append(Problem(where, "no claimReview."))
            continue
        for j, review in enumerate(reviews, 1):
            review_where = f"{where}, review {j}"
            try:
                if not isinstance(review, dict):
                    raise BadRecord("not a JSON object.")
                publisher = review.get("publisher") or {}
                name = (
                    publisher.get("name") or publisher.get("site")
                    if isinstance(publisher, dict)
                    else ""
                )
                record = make_record(
                    claim_text=item.get("text"),
                    rating=review.get("textualRating"),
                    url=review.get("url"),
                    publisher=name or "",
                    conclusion=review.get("title") or "",
                    published_on=review.get("reviewDate") or item.get("claimDate") or "",
                    language=review.get("languageCode") or "",
                )
            except BadRecord as exc:
                parsed.problems.append(Problem(review_where, str(exc)))
            else:
                parsed.records.append((review_where, record))
    if not parsed.records and not parsed.problems:
        parsed.problems.append(Problem("file", "the claims list is empty."))
    return parsed


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = {
    "claim_text": ("claim", "claim_text", "claimreviewed", "text"),
    "rating": ("rating", "verdict", "textualrating"),
    "url": ("url", "link"),
    "publisher": ("publisher", "source"),
    "published_on": ("date", "published", "reviewdate", "datepublished"),
    "conclusion": ("headline", "conclusion", "title"),
    "language": ("language", "languagecode", "lang"),
}
CSV_REQUIRED = ("claim_text", "rating", "url", "publisher", "published_on")


def _csv_columns(header: list[str]) -> dict[str, int]:
    names = [re.sub(r"[\s_-]+", "", h.strip().lower()) for h in header]
    columns = {}
    for key, aliases in CSV_COLUMNS.items():
        for alias in aliases:
            if alias.replace("_", "") in names:
                columns[key] = names.index(alias.replace("_", ""))
                break
    return columns


def parse_csv(text: str) -> Parsed:
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed = Parsed()
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return Parsed(problems=[Problem("line 1", f"not readable as CSV ({exc}).")])
    if not header:
        return Parsed(problems=[Problem("line 1", "no header row.")])
    columns = _csv_columns(header)
    missing = [CSV_COLUMNS[k][0] for k in CSV_REQUIRED if k not in columns]
    if missing:
        return Parsed(
            problems=[Problem("line 1", "missing column(s): " + ", ".join(missing) + ".")]
        )
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.problems.append(Problem(f"line {start}", f"not readable as CSV ({exc})."))
            break
        if not any(cell.strip() for cell in row):
            continue
        values = {key: row[i] if i < len(row) else "" for key, i in columns.items()}
        try:
            parsed.records.append((f"line {start}", make_record(**values)))
        except BadRecord as exc:
            parsed.problems.append(Problem(f"line {start}", str(exc)))
    return parsed
