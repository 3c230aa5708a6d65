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
import zlib
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
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "tr",
    "figure",
    "figcaption",
    "hr",
    "address",
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


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def clean_field(value: str) -> str:
    """A one-line field taken from a file (a title): NUL and other control
    characters become spaces, whitespace runs one space. PostgreSQL refuses NUL."""
    value = _CONTROL_CHARS.sub(" ", value or "")
    return re.sub(r"\s+", " ", value).strip()


def html_to_text(data: bytes | str) -> ImportedText:
    """Visible text of an HTML page, one paragraph per block element; scripts,
    styles and other non-copy elements are dropped."""
    soup = BeautifulSoup(data, "html.parser")
    title = clean_field(soup.title.get_text(" ", strip=True)) if soup.title else ""
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


# A .docx is a zip of XML parts. These bounds keep a decompression bomb (a small
# file that unpacks to gigabytes, or XML whose entities expand) from taking a worker's
# memory and minutes. A 2-million-character article (the length limit) is 2.8 MB of
# XML as python-docx writes it; 9 MB takes about 2.5 s to read (bench/bench_reliability.py).
DOCX_MAX_PARTS = 1000
DOCX_MAX_XML_BYTES = 10 * 1024 * 1024  # all XML parts together, unpacked
DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # every part, images included
_CHUNK = 1024 * 1024
# Word never writes a DTD; one in a part can only be an entity bomb or an XXE attempt.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _is_xml_part(member: zipfile.ZipInfo) -> bool:
    return member.filename.lower().endswith((".xml", ".rels"))


def _check_docx_archive(data: bytes, name: str) -> None:
    """Refuse a .docx whose parts are too many or unpack too large, by the sizes
    the archive declares and then by the bytes it really yields (declared sizes
    can lie); also refuse XML parts that carry a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFailed(f"{name}: this is not a readable Word (.docx) document.") from exc
    with archive:
        members = archive.infolist()
        if len(members) > DOCX_MAX_PARTS:
            raise ImportFailed(
                f"{name}: the Word document has {len(members):,} parts; the limit is "
                f"{DOCX_MAX_PARTS:,}. Save it again from Word, or paste its text."
            )
        _check_unpacked_sizes(
            name,
            sum(m.file_size for m in members if _is_xml_part(m)),
            sum(m.file_size for m in members),
        )
        xml_total = total = 0
        for member in members:
            xml = _is_xml_part(member)
            tail = b""
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if xml:
                            xml_total += len(chunk)
                            window = tail + chunk
                            if any(marker in window for marker in _DTD_MARKERS):
                                raise ImportFailed(
                                    f"{name}: the Word document contains a document type "
                                    "declaration (DTD), which Word never writes; it is refused "
                                    "as unsafe. Save it again from Word, or paste its text."
                                )
                            tail = chunk[-16:]
                        _check_unpacked_sizes(name, xml_total, total)
            except ImportFailed:
                raise
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                NotImplementedError,
                RuntimeError,
                ValueError,
            ) as exc:
                # Damaged data, a CRC mismatch, an unsupported method or encryption.
                raise ImportFailed(
                    f"{name}: this is not a readable Word (.docx) document "
                    f"(part {member.filename!r} is damaged or encrypted)."
                ) from exc


def _check_unpacked_sizes(name: str, xml_bytes: int, all_bytes: int) -> None:
    if xml_bytes > DOCX_MAX_XML_BYTES:
        raise ImportFailed(
            f"{name}: the Word document unpacks to more than {_megabytes(DOCX_MAX_XML_BYTES)} "
            "of text and markup, the limit for one article. Split it, or paste its text."
        )
    if all_bytes > DOCX_MAX_UNPACKED_BYTES:
        raise ImportFailed(
            f"{name}: the Word document unpacks to more than "
            f"{_megabytes(DOCX_MAX_UNPACKED_BYTES)} (images included), the limit. "
            "Remove large images, or paste its text."
        )


def docx_to_text(data: bytes, name: str) -> ImportedText:
    import docx  # python-docx; imported here so the rest works without it
    from docx.opc.exceptions import OpcError
    from lxml import etree

    _check_docx_archive(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text.strip() for p in document.paragraphs]
        title = document.core_properties.title or ""
    except etree.LxmlError as exc:
        raise ImportFailed(
            f"{name}: the Word document's XML is malformed ({_first_line(exc)}). "
            "Open it in Word and save it again, or paste its text."
        ) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OpcError) as exc:
        raise ImportFailed(f"{name}: this is not a readable Word (.docx) document.") from exc
    text = "\n\n".join(p for p in paragraphs if p)
    return ImportedText(title=clean_field(title), text=normalize_text(text))


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or ["unreadable"])[0][:200]


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
            raise ImportFailed(
                f"{name}: the CSV needs a header row with a “text” column (and optionally “title” and “url”)."
            )
        items = []
        for row in reader:
            row_name = f"{name} row {reader.line_num}"
            value = {
                key: (row.get(fields[key]) or "") if key in fields else ""
                for key in ("title", "text", "url")
            }
            if not value["text"].strip():
                items.append({"name": row_name, "error": f"{row_name}: the “text” cell is empty."})
            else:
                cleaned = {k: v if k == "text" else clean_field(v) for k, v in value.items()}
                items.append({"name": row_name, **cleaned})
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
