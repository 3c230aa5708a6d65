"""Hostile uploads: decompression bombs, entity expansion, malformed XML and NUL in
a title are refused by name (or cleaned), never a server error or a stuck worker.

Every file is generated here; the largest unpacks to 200 MB but is a few hundred KB.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest
from django.urls import reverse

from claims import importing
from claims.importing import ImportFailed, read_upload
from claims.models import Article, Job

DOCUMENT = "word/document.xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _base_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("The city spent $4.2 million on road repairs in 2023.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with(
    replace: dict[str, bytes] | None = None,
    *,
    extra: dict[str, bytes] | None = None,
    streamed: dict[str, tuple[bytes, int]] | None = None,
) -> bytes:
    """A real .docx with some parts replaced or added; `streamed` parts are a chunk
    repeated n times, written without holding the whole part in memory."""
    replace, extra, streamed = replace or {}, extra or {}, streamed or {}
    source = zipfile.ZipFile(io.BytesIO(_base_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            if info.filename in streamed:
                continue
            archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in extra.items():
            archive.writestr(name, data)
        for name, (chunk, times) in streamed.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for _ in range(times):
                    part.write(chunk)
    return out.getvalue()


def document_xml(body: str, *, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _refused(name: str, data: bytes) -> str:
    started = time.monotonic()
    with pytest.raises(ImportFailed) as info:
        read_upload(name, data)
    assert time.monotonic() - started < 10, "the refusal must come before the work"
    assert info.value.message.startswith(f"{name}: ")
    return info.value.message


def test_zip_bomb_is_refused_by_its_declared_size():
    # 200 MB of paragraphs in a few hundred KB: python-docx would need minutes and GBs.
    paragraph = f"<w:p><w:r><w:t>{'lol ' * 60}</w:t></w:r></w:p>".encode()
    data = docx_with(streamed={DOCUMENT: (paragraph, 200 * 1024 * 1024 // len(paragraph))})
    assert len(data) < 2 * 1024 * 1024
    message = _refused("bomb.docx", data)
    assert "unpacks to more than 10 MB of text and markup" in message


def _understate_sizes(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the zip so `member` claims `declared` unpacked bytes (a lying header)."""
    buffer = bytearray(data)
    name = member.encode()
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    # Local header: uncompressed size at offset 22; the central directory entry's at 24.
    struct.pack_into("<I", buffer, info.header_offset + 22, declared)
    central = buffer.find(b"PK\x01\x02", archive.start_dir if hasattr(archive, "start_dir") else 0)
    while central != -1:
        name_len = struct.unpack_from("<H", buffer, central + 28)[0]
        if bytes(buffer[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", buffer, central + 24, declared)
        central = buffer.find(b"PK\x01\x02", central + 4)
    return bytes(buffer)


def test_zip_bomb_with_lying_sizes_is_refused():
    paragraph = f"<w:p><w:r><w:t>{'ha ' * 80}</w:t></w:r></w:p>".encode()
    honest = docx_with(streamed={DOCUMENT: (paragraph, 60 * 1024 * 1024 // len(paragraph))})
    # Without force_zip64 the sizes are plain 32-bit fields, which this rewrites.
    lying = _understate_sizes(
        docx_with(replace={DOCUMENT: document_xml(paragraph.decode() * 300_000)}), DOCUMENT, 1000
    )
    assert "unpacks to more than" in _refused("honest.docx", honest)
    message = _refused("lying.docx", lying)
    assert "not a readable Word (.docx) document" in message and "word/document.xml" in message


def test_image_bomb_is_refused_naming_the_limit():
    data = docx_with(streamed={"word/media/image1.png": (b"\0" * 1024 * 1024, 150)})
    assert "unpacks to more than 100 MB (images included)" in _refused("photos.docx", data)


def test_too_many_parts_is_refused():
    data = docx_with(extra={f"customXml/item{i}.bin": b"x" for i in range(1200)})
    assert "has 1,2" in _refused("parts.docx", data) and "the limit is 1,000" in _refused(
        "parts.docx", data
    )


def test_billion_laughs_is_refused_as_unsafe():
    body = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    data = docx_with(replace={DOCUMENT: document_xml(body, prolog=BILLION_LAUGHS)})
    assert "document type declaration (DTD)" in _refused("laughs.docx", data)


def test_billion_laughs_in_utf16_still_gives_a_clear_refusal():
    # UTF-16 hides the DTD from the byte scan; the parser's refusal is turned into a message.
    xml = document_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS)
    xml = xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    data = docx_with(replace={DOCUMENT: xml})
    try:
        imported = read_upload("laughs16.docx", data)
    except ImportFailed as exc:
        assert exc.message.startswith("laughs16.docx: ")
    else:  # parsed without expanding the entities
        assert "lol" not in imported.text


def test_xxe_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = "<w:p><w:r><w:t>Before &xxe; after</w:t></w:r></w:p>"
    assert "DTD" in _refused(
        "xxe.docx", docx_with(replace={DOCUMENT: document_xml(body, prolog=prolog)})
    )
    # Hidden from the byte scan by UTF-16: the parser still does not read the file.
    xml = document_xml(body, prolog=prolog).decode().replace('"UTF-8"', '"UTF-16"').encode("utf-16")
    try:
        imported = read_upload("xxe16.docx", docx_with(replace={DOCUMENT: xml}))
    except ImportFailed:
        return
    assert "TOP-SECRET-VALUE" not in imported.text


@pytest.mark.parametrize(
    "xml",
    [
        document_xml("<w:p><w:r><w:t>unclosed</w:r></w:p>"),
        b'<?xml version="1.0"?><w:document xmlns:w="' + W_NS.encode() + b'"><w:body>',
        b"\xff\xfe not xml at all",
    ],
    ids=["mismatched-tag", "truncated", "garbage"],
)
def test_malformed_xml_is_refused_by_name(xml):
    message = _refused("broken.docx", docx_with(replace={DOCUMENT: xml}))
    assert "XML is malformed" in message or "not a readable Word" in message


def test_malformed_core_properties_are_refused_by_name():
    data = docx_with(replace={"docProps/core.xml": b"<cp:coreProperties><unclosed>"})
    assert "broken-props.docx: " in _refused("broken-props.docx", data)


def test_nul_and_control_characters_are_cleaned_from_the_title():
    html = (
        b"<html><head><title>Road\x00 repairs\x07\n  cost</title></head>"
        b"<body><p>The city spent $4.2m.</p></body></html>"
    )
    imported = read_upload("nul.html", html)
    assert imported.title == "Road repairs cost"
    assert "\x00" not in imported.text


def test_csv_titles_and_urls_are_cleaned():
    items = importing.read_csv(
        "batch.csv", b'title,text,url\r\n"A\x00 title\x0b",Body text.," https://x.example/\x00"\r\n'
    )
    assert items[0]["title"] == "A title" and items[0]["url"] == "https://x.example/"


# --- through the screens, on the test database (PostgreSQL refuses NUL in text) ----------


@pytest.mark.django_db
def test_upload_form_names_each_bad_file_and_saves_nothing(client, editor):
    client.force_login(editor)
    laughs = docx_with(
        replace={
            DOCUMENT: document_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS)
        }
    )
    bad = {
        "laughs.docx": laughs,
        "broken.docx": docx_with(replace={DOCUMENT: document_xml("<w:p><w:r></w:p>")}),
    }
    for name, data in bad.items():
        upload = io.BytesIO(data)
        upload.name = name
        response = client.post(reverse("claims:article-create"), {"file": upload})
        assert response.status_code < 500
        assert f"{name}: " in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_upload_with_nul_in_title_saves_a_clean_title(client, editor):
    client.force_login(editor)
    upload = io.BytesIO(b"<title>Budget\x00 story</title><p>The city spent $4.2 million.</p>")
    upload.name = "nul.html"
    response = client.post(reverse("claims:article-create"), {"file": upload})
    assert response.status_code == 302
    assert Article.objects.get().title == "Budget story"


@pytest.mark.django_db
def test_bulk_import_reports_bombs_by_name_and_imports_the_rest(client, editor):
    client.force_login(editor)
    paragraph = b"<w:p><w:r><w:t>" + b"boom " * 100 + b"</w:t></w:r></w:p>"
    files = {
        "bomb.docx": docx_with(
            streamed={DOCUMENT: (paragraph, 100 * 1024 * 1024 // len(paragraph))}
        ),
        "laughs.docx": docx_with(
            replace={
                DOCUMENT: document_xml(
                    "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS
                )
            }
        ),
        "good.txt": b"The city spent $4.2 million on road repairs in 2023.",
    }
    uploads = []
    for name, data in files.items():
        upload = io.BytesIO(data)
        upload.name = name
        uploads.append(upload)
    response = client.post(reverse("claims:article-import"), {"files": uploads})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == Job.State.DONE
    results = {r["name"]: r for r in job.results}
    assert results["good.txt"]["ok"] is True
    assert "unpacks to more than 10 MB" in results["bomb.docx"]["message"]
    assert "DTD" in results["laughs.docx"]["message"]
    assert Article.objects.count() == 1
