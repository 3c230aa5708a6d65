"""Shortening text for display: cut at a word boundary, never mid-word."""

from __future__ import annotations

ELLIPSIS = "…"
# Left dangling at a cut they read as noise: "rose by 12%, …" -> "rose by 12% …".
_TRAILING = " \t\r\n,;:-–—([{/\"'“‘"


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters (ellipsis included), cut after a whole
    word. A single word longer than half the room is cut inside, as nothing else fits."""
    text = str(text or "")
    if limit < 2 or len(text) <= limit:
        return text if len(text) <= limit else text[:limit]
    room = text[: limit - 1]
    if room[-1].isalnum() and text[limit - 1].isalnum():  # the cut falls inside a word
        space = max(room.rfind(" "), room.rfind("\n"), room.rfind("\t"))
        if space >= (limit - 1) // 2:
            room = room[:space]
    return room.rstrip(_TRAILING) + ELLIPSIS


def word_start_after(body: str, index: int) -> int:
    """The first word start at or after `index` (index itself when it starts one)."""
    if index <= 0 or body[index - 1].isspace() or index >= len(body):
        return max(index, 0)
    while index < len(body) and not body[index].isspace():
        index += 1
    while index < len(body) and body[index].isspace():
        index += 1
    return index


def word_end_before(body: str, index: int) -> int:
    """The last word end at or before `index` (index itself when a word ends there)."""
    if index >= len(body) or body[index].isspace() or index <= 0:
        return min(index, len(body))
    while index > 0 and not body[index - 1].isspace():
        index -= 1
    while index > 0 and body[index - 1].isspace():
        index -= 1
    return index
