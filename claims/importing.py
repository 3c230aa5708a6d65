"""Turn uploaded files into article text: .txt, .md, .html and .docx, plus CSV
batches (title, text, url columns) for bulk import.

Every refusal is an `ImportFailed` whose message names the file and says what to
do, so a bulk import can report it next to the file's name.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from bs4 import BeautifulSoup, NavigableString

TEXT_EXTENSIONS = {".txt", ".text", ".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm"}
DOCX_EXTENSIONS = {".docx"}
CSV_EXTENSIONS = {".csv"}
ARTICLE_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | DOCX_EXTENSIONS
ACCEPT_ATTR = ".txt,.md,.html,.htm,.docx"

# Elements whose text is never article copy.
DROPPED_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "head", "nav", "form"]
BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre",
    "table", "tr", "figure", "figcaption", "hr", "address",
]


class ImportFailed(ValueError):
    """A file cannot become an article; `message` is meant for the person importing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportedText:
    title: str
    text: str


def normalize_text(text: str) -> str:
    """CRLF and lone CR become LF (browsers send textarea lines as CRLF, and the
    HTML parser turns them into LF, so offsets only agree after this); NUL bytes,
    which PostgreSQL refuses in text, are dropped. Nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte-order mark) or BOM-marked UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"{name}: the file is not UTF-8 text (unreadable byte 0x{data[exc.start]:02x} "
                f"at position {exc.start:,}). Save it as UTF-8 and try again."
            ) from None
    raise ImportFailed(f"{name}: the file is not readable text. Save it as UTF-8 and try again.")


def html_to_text(data: bytes | str) -> ImportedText:
    """Visible text of an HTML page, one paragraph per block element; scripts,
    styles and other non-copy elements are dropped."""
    soup = BeautifulSoup(data, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    # HTML treats runs of whitespace in text as one space (except in <pre>).
    for string in soup.find_all(string=True):
        if type(string) is NavigableString and string.find_parent("pre") is None:
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    return ImportedText(title=title, text=_tidy_lines(soup.get_text()))


def _tidy_lines(text: str) -> str:
    lines = [line.strip() for line in normalize_text(text).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def docx_to_text(data: bytes, name: str) -> ImportedText:
    import docx  # python-docx; imported here so the rest works without it

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFailed(f"{name}: this is not a readable Word (.docx) document.") from exc
    paragraphs = [p.text.strip() for p in document.paragraphs]
    text = "\n\n".join(p for p in paragraphs if p)
    return ImportedText(title=(document.core_properties.title or "").strip(), text=normalize_text(text))


def read_upload(name: str, data: bytes) -> ImportedText:
    """The text of one uploaded article file, or ImportFailed saying why not."""
    name = PurePath(name or "file").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ARTICLE_EXTENSIONS:
        kind = f"“{suffix}” files" if suffix else "files without an extension"
        raise ImportFailed(f"{name}: {kind} are not supported. Use .txt, .md, .html or .docx.")
    if not data:
        raise ImportFailed(f"{name}: the file is empty.")
    if suffix in DOCX_EXTENSIONS:
        imported = docx_to_text(data, name)
    elif suffix in HTML_EXTENSIONS:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = decode_text(data, name)  # type: ignore[assignment]
        imported = html_to_text(data)
    else:
        imported = ImportedText(title="", text=normalize_text(decode_text(data, name)))
    if not imported.text.strip():
        raise ImportFailed(f"{name}: the file has no text in it.")
    return imported


def read_csv(name: str, data: bytes) -> list[dict]:
    """Rows of a CSV with a `text` column (and optional `title`, `url`) as import items.
    A row without text becomes an item carrying its error, reported by row number."""
    text = normalize_text(decode_text(data, name)) if data else ""
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty.")
    csv.field_size_limit(50_000_000)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
        if "text" not in fields:
            raise ImportFailed(f"{name}: the CSV needs a header row with a “text” column (and optionally “title” and “url”).")
        items = []
        for row in reader:
            row_name = f"{name} row {reader.line_num}"
            value = {key: (row.get(fields[key]) or "") if key in fields else "" for key in ("title", "text", "url")}
            if not value["text"].strip():
                items.append({"name": row_name, "error": f"{row_name}: the “text” cell is empty."})
            else:
                items.append({"name": row_name, **{k: v.strip() if k != "text" else v for k, v in value.items()}})
    except csv.Error as exc:
        raise ImportFailed(f"{name}: the CSV cannot be read ({exc}).") from exc
    if not items:
        raise ImportFailed(f"{name}: the CSV has a header but no rows.")
    return items


def build_items(files: list[tuple[str, bytes]]) -> list[dict]:
    """Import items for a job: one per article file, one per CSV row. Files are
    carried as base64 so they survive a JSON task queue; conversion happens in the
    task so one bad file is reported there by name."""
    items: list[dict] = []
    for name, data in files:
        name = PurePath(name or "file").name
        if PurePath(name).suffix.lower() in CSV_EXTENSIONS:
            try:
                items.extend(read_csv(name, data))
            except ImportFailed as exc:
                items.append({"name": name, "error": exc.message})
        else:
            items.append({"name": name, "data": base64.b64encode(data).decode("ascii")})
    return items


def item_text(item: dict) -> tuple[str, str, str]:
    """(title, text, url) of one import item, or ImportFailed."""
    if item.get("error"):
        raise ImportFailed(item["error"])
    if "data" in item:
        imported = read_upload(item["name"], base64.b64decode(item["data"]))
        return imported.title, imported.text, ""
    return item.get("title", ""), normalize_text(item.get("text", "")), item.get("url", "")
