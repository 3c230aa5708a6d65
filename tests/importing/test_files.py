"""Uploaded files become article text: each format, and clear refusals."""

from __future__ import annotations

import io

import pytest

from claims import importing
from claims.importing import ImportFailed, read_upload


def docx_bytes(*paragraphs: str, title: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_txt_utf8_with_bom_and_crlf():
    data = "\ufeffHeadline\r\nThe city spent $4.2 million.\r\nIt rose 12%.\rEnd.".encode()
    imported = read_upload("story.txt", data)
    assert imported.text == "Headline\nThe city spent $4.2 million.\nIt rose 12%.\nEnd."


def test_txt_utf16_with_bom():
    imported = read_upload("story.txt", "Crime fell by half – the mayor said.".encode("utf-16"))
    assert imported.text == "Crime fell by half – the mayor said."


def test_markdown_is_kept_as_text():
    imported = read_upload("notes.md", b"# Budget\n\nThe city spent **$4m**.\n")
    assert imported.text == "# Budget\n\nThe city spent **$4m**.\n"


def test_html_drops_script_style_and_keeps_paragraphs():
    html = b"""<!doctype html><html><head><title>Road repairs</title><style>p{color:red}</style>
    <script>alert('x')</script></head><body><nav>Home | News</nav>
    <h1>Road   repairs</h1><p>The city spent
    <b>$4.2 million</b> in 2023.</p><script>var tracking = 1;</script>
    <p>Crime fell<br>by half.</p><noscript>Enable JS</noscript></body></html>"""
    imported = read_upload("page.html", html)
    assert imported.title == "Road repairs"
    assert (
        imported.text
        == "Road repairs\n\nThe city spent $4.2 million in 2023.\n\nCrime fell\nby half."
    )
    assert (
        "alert" not in imported.text
        and "color" not in imported.text
        and "tracking" not in imported.text
    )
    assert "Enable JS" not in imported.text and "Home | News" not in imported.text


def test_html_respects_declared_charset():
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 prices rose.</p></body></html>'.encode(
        "cp1252"
    )
    assert read_upload("page.htm", html).text == "Café prices rose."


def test_docx_paragraphs_and_title():
    data = docx_bytes(
        "Ceasefire talks", "", "The US urged Israel to allow safe passage.", title="Talks"
    )
    imported = read_upload("story.docx", data)
    assert imported.title == "Talks"
    assert imported.text == "Ceasefire talks\n\nThe US urged Israel to allow safe passage."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "“.pdf” files are not supported"),
        ("README", b"text", "files without an extension are not supported"),
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\t\n", "has no text"),
        (
            "latin1.txt",
            "Café".encode("latin-1"),
            "not UTF-8 text (unreadable byte 0xe9 at position 3)",
        ),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word (.docx) document"),
        ("scripts.html", b"<script>alert(1)</script><style>p{}</style>", "has no text"),
    ],
)
def test_bad_files_are_refused_by_name(name, data, message):
    with pytest.raises(ImportFailed) as info:
        read_upload(name, data)
    assert info.value.message.startswith(f"{name}:")
    assert message in info.value.message


def test_nul_bytes_are_dropped():
    assert read_upload("x.txt", b"A\x00B.").text == "AB."


def test_csv_rows_become_items_and_empty_rows_carry_errors():
    data = b'Title,Text,URL\r\nFirst,The city spent $4m.,https://a.example\r\nSecond,,\r\n,"Multi\nline text.",\r\n'
    items = importing.read_csv("batch.csv", data)
    assert items[0] == {
        "name": "batch.csv row 2",
        "title": "First",
        "text": "The city spent $4m.",
        "url": "https://a.example",
    }
    assert items[1]["error"] == "batch.csv row 3: the “text” cell is empty."
    assert items[2]["text"] == "Multi\nline text."


def test_csv_without_text_column_is_refused():
    with pytest.raises(ImportFailed, match="needs a header row with a “text” column"):
        importing.read_csv("bad.csv", b"title,body\nA,B\n")


def test_build_items_and_item_text_round_trip():
    items = importing.build_items(
        [("a.txt", b"Hello there."), ("b.csv", b"text\nRow text.\n"), ("c.csv", b"")]
    )
    assert [i["name"] for i in items] == ["a.txt", "b.csv row 2", "c.csv"]
    assert importing.item_text(items[0]) == ("", "Hello there.", "")
    assert importing.item_text(items[1]) == ("", "Row text.", "")
    with pytest.raises(ImportFailed, match="c.csv: the file is empty"):
        importing.item_text(items[2])
