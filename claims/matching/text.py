"""Text clean-up before matching: strip what social posts add around a claim.

A tweet quoted in the archive or pasted by an editor carries links, picture
links, ``@`` and ``#`` marks and an embed trailer ("— Name (@handle) January
6, 2020"). The links and the handle and date of the trailer say nothing
about the claim; the author's display name can (a politician quoted in the
fact-check), so it is kept. Measured in docs/matching.md.
"""

from __future__ import annotations

import re

# "— Name (@handle) Month d, yyyy" at the end: an embedded tweet's byline.
_TRAILER = re.compile(r"\s*(?:—|\s-)\s*([^—]*?)\s*\(@\w+\)[^()@—]*$")
_PICTURE = re.compile(r"pic\.twitter\.com/\S+")
_URL = re.compile(r"https?://\S+")
_MARK = re.compile(r"[@#](\w+)")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """``text`` without links, @/# marks and a tweet byline's handle and date."""
    name = ""
    trailer = _TRAILER.search(text)
    if trailer:
        name = trailer.group(1)
        text = text[: trailer.start()]
    text = _PICTURE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MARK.sub(r"\1", text)
    if name:
        text = f"{text} {name}"
    return _SPACE.sub(" ", text).strip()
