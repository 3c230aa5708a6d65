"""The claim panel's reads: the claim with everything it shows, its place in the
article, the steps on offer and its history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from claims import workflow
from claims.models import Claim, Comment, Event, Source
from claims.names import display_name
from claims.text import word_end_before, word_start_after


@dataclass(frozen=True)
class ArticleWindow:
    """The claim inside its paragraph(s): text before, the claim itself, text after."""

    before: str
    marked: str
    after: str
    cut_before: bool
    cut_after: bool


def claim_article_window(*, body: str, start: int, end: int, margin: int = 700) -> ArticleWindow:
    """The paragraph(s) around [start, end), at most `margin` characters either side."""
    start, end = max(0, min(start, len(body))), max(0, min(end, len(body)))
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end < 0 else para_end
    lo, hi = max(para_start, start - margin), min(para_end, end + margin)
    # A margin cut falls at a word boundary, never inside a word ("…as p").
    if lo > para_start:
        lo = min(word_start_after(body, lo), start)
    if hi < para_end:
        hi = max(word_end_before(body, hi), end)
    return ArticleWindow(
        before=body[lo:start],
        marked=body[start:end],
        after=body[end:hi],
        cut_before=lo > 0,
        cut_after=hi < len(body),
    )


def claim_for_panel(*, pk: int):
    """The claim with everything the panel shows, in a fixed number of queries."""
    return (
        Claim.objects.select_related("article", "assignee", "rating", "proposed_by", "approved_by")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("actor").order_by("-created_at", "-id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def claim_can_view(*, user, claim) -> bool:
    """Editors see every claim; a reviewer sees the claims assigned to them."""
    return bool(workflow.can(user, claim, "view"))


def claim_panel_steps(*, user, claim) -> set[str]:
    """The steps this user may take on this claim now: which buttons and forms to show."""
    return workflow.panel_steps(user, claim)


@dataclass(frozen=True)
class SendBack:
    """Why the claim came back to its reviewer, and who sent it."""

    reason: str
    by: object
    at: object


def claim_send_back(claim) -> SendBack | None:
    """The send-back the reviewer has not answered yet: the newest "sent_back" event
    with no submission after it, while the claim is back in research."""
    if claim.status not in workflow.RESEARCH_OPEN:
        return None
    for event in claim.events.all():  # newest first (claim_for_panel's prefetch)
        if event.action == "submitted":
            return None
        if event.action == "sent_back":
            return SendBack(
                reason=event.message.removeprefix("Sent back: "),
                by=event.actor,
                at=event.created_at,
            )
    return None


@dataclass(frozen=True)
class CheckItem:
    label: str
    done: bool


@dataclass(frozen=True)
class SubmitChecklist:
    """What "Submit for review" needs, ticked off: the blockers in words when any."""

    items: list[CheckItem]
    blockers: list[str]

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def still_needed(self) -> str:
        """The blockers as one phrase: "a verdict and at least 2 sources (it has 1)"."""
        items = self.blockers
        return (
            items[0]
            if len(items) == 1
            else ", ".join(items[:-1]) + " and " + items[-1]
            if items
            else ""
        )


def claim_submit_checklist(claim, *, min_sources: int, blockers: list[str]) -> SubmitChecklist:
    """The panel's checklist beside Submit; `blockers` come from services.submit_blockers."""
    have = len(claim.sources.all())
    return SubmitChecklist(
        items=[
            CheckItem(
                f"{have} of {min_sources} source{'s' if min_sources != 1 else ''}"
                if have <= min_sources
                else f"{have} sources",
                have >= min_sources,
            ),
            CheckItem(
                "verdict chosen" if claim.rating_id else "no verdict yet",
                claim.rating_id is not None,
            ),
            CheckItem(
                "conclusion written" if claim.conclusion.strip() else "no conclusion yet",
                bool(claim.conclusion.strip()),
            ),
        ],
        blockers=blockers,
    )


@dataclass(frozen=True)
class HistoryRow:
    event: object
    changes: list[tuple[str, object, object]]


HISTORY_FIELD_LABELS = {
    "text": "Wording",
    "status": "Status",
    "assignee": "Assignee",
    "due_date": "Due date",
    "rating": "Verdict",
    "conclusion": "Conclusion",
    "url": "URL",
    "title": "Title",
    "publisher": "Publisher",
    "stance": "Stance",
}

CLAIM_FIELDS = frozenset({"text", "status", "assignee", "due_date", "rating", "conclusion"})


def _people_by_username(events) -> dict[str, str]:
    """Display names for the usernames the events record as assignees (one query)."""
    usernames = {
        value
        for event in events
        for side in (event.before or {}, event.after or {})
        if isinstance(value := side.get("assignee"), str)
    }
    if not usernames:
        return {}
    users = get_user_model().objects.filter(username__in=usernames)
    return {user.get_username(): display_name(user) for user in users}


def claim_history(events) -> list[HistoryRow]:
    """Events as timeline rows: what changed, before -> after (the version counter left out).
    Events record assignees by username; the rows name them as the app does."""
    events = list(events)
    labels = dict(Claim.Status.choices)
    people = _people_by_username(events)
    rows = []
    for event in events:
        changes = []
        for key, after in (event.after or {}).items():
            if key == "version" or key not in HISTORY_FIELD_LABELS:
                continue
            if not event.before and key not in CLAIM_FIELDS:
                continue  # a new source: its message already names it
            before = (event.before or {}).get(key)
            if key == "status":
                before, after = labels.get(before, before), labels.get(after, after)
            elif key == "assignee":
                before, after = people.get(before, before), people.get(after, after)
            changes.append((HISTORY_FIELD_LABELS[key], before, after))
        rows.append(HistoryRow(event=event, changes=changes))
    return rows


@dataclass(frozen=True)
class SplitPoint:
    at: int  # characters into the claim's original sentence span
    label: str


def claim_split_points(claim) -> list[SplitPoint]:
    """Every word start after the first word of the claim's sentence, labelled
    with the words either side so the choice reads well in a <select>."""
    sentence = claim.article.body[claim.start : claim.end]
    points = []
    for match in re.finditer(r"(?<=\s)\S", sentence):
        at = match.start()
        before = " ".join(sentence[:at].split()[-3:])
        after = " ".join(sentence[at:].split()[:3])
        points.append(SplitPoint(at=at, label=f"…{before} | {after}…"))
    return points


@dataclass(frozen=True)
class SplitPiece:
    """A word of the sentence on the split form; clicking one (JavaScript) splits
    before it. `at` is None for the first word, where no split can start."""

    at: int | None
    text: str


def claim_split_pieces(claim, points: list[SplitPoint] | None = None) -> list[SplitPiece]:
    """The claim's sentence cut at every split point, so each word can be clicked."""
    sentence = claim.article.body[claim.start : claim.end]
    cuts = [p.at for p in (points if points is not None else claim_split_points(claim))]
    bounds = [0, *cuts, len(sentence)]
    return [
        SplitPiece(at=lo if index else None, text=sentence[lo:hi])
        for index, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False))
        if hi > lo
    ]
