"""The review workflow's rules, in one place.

- Named sets of statuses (`OPEN`, `PUBLIC`, ...): code asks for a set by its
  meaning, never spells out statuses inline.
- `TRANSITIONS`: which status each step starts from and leads to.
- `can(user, claim, action)`: whether this person may take this step on this
  claim now. Truthy when allowed; otherwise `.reason` says why, in the words
  the person sees, and `.error` is the refusal kind services raise.

Services enforce it (`require`); the claim panel asks it which buttons to show,
and the board which links and moves to offer.

- `can_see_verdict(user, claim)` / `verdict_visible_q(...)`: who sees a verdict
  before it is published, for one claim and as a queryset filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from claims.errors import InvalidTransition, NotAllowed, ServiceError
from claims.models import ClaimStatus as Status
from claims.permissions import is_editor, is_reviewer

# ---------------------------------------------------------------- status sets

ALL = frozenset(Status)
# Work still to do: a due date means something, a dismissal is possible.
OPEN = frozenset(
    {Status.UNASSIGNED, Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW, Status.APPROVED}
)
# What readers may see: public reports, exports and ClaimReview.
PUBLIC = frozenset({Status.PUBLISHED, Status.CORRECTED})
# Finished one way or another: sources and verdict are frozen.
CLOSED = frozenset({Status.PUBLISHED, Status.CORRECTED, Status.DISMISSED})
# Still in triage: claims can be merged and split.
TRIAGE = frozenset({Status.UNASSIGNED, Status.ASSIGNED})
# With the reviewer: they may change sources and verdict.
RESEARCH_OPEN = frozenset({Status.ASSIGNED, Status.RESEARCHING})
# Counts toward a reviewer's open load (auto-assign).
WORKLOAD = frozenset({Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW})
# An editor may still set the verdict here; approved verdicts need a send back first.
VERDICT_EDITABLE = frozenset(
    {Status.UNASSIGNED, Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW}
)

# ---------------------------------------------------------------- steps

# step -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (
        frozenset({Status.UNASSIGNED, Status.ASSIGNED, Status.RESEARCHING}),
        Status.ASSIGNED,
    ),
    "unassign": (RESEARCH_OPEN, Status.UNASSIGNED),
    "start_research": (frozenset({Status.ASSIGNED}), Status.RESEARCHING),
    "submit": (frozenset({Status.RESEARCHING}), Status.IN_REVIEW),
    "approve": (frozenset({Status.IN_REVIEW}), Status.APPROVED),
    "send_back": (frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.RESEARCHING),
    "publish": (frozenset({Status.APPROVED}), Status.PUBLISHED),
    "correct": (PUBLIC, Status.CORRECTED),
    "dismiss": (OPEN, Status.DISMISSED),
    "restore": (frozenset({Status.DISMISSED}), Status.UNASSIGNED),
}

# How a step reads in a sentence ("Only an editor can …").
ACTION_LABELS = {
    "assign": "assign",
    "unassign": "unassign",
    "start_research": "start research",
    "submit": "submit for review",
    "approve": "approve",
    "send_back": "send back",
    "publish": "publish",
    "correct": "correct",
    "dismiss": "dismiss",
    "restore": "restore",
    "set_verdict": "set the verdict",
    "set_due_date": "set due dates",
    "add_source": "add sources",
    "edit_source": "edit sources",
    "remove_source": "remove sources",
    "comment": "comment",
    "view": "open this claim",
    "edit_text": "edit a claim's wording",
    "split": "split claims",
    "merge": "merge claims",
    "link_same": "link claims as the same claim",
    "reuse_verdict": "reuse an earlier verdict",
    "see_verdict": "see this verdict",
    "close_article": "close articles",
    "reopen_article": "reopen articles",
}

SOURCE_ACTIONS = frozenset({"add_source", "edit_source", "remove_source"})
# What the assigned reviewer may do; every other step is an editor's.
REVIEWER_ACTIONS = frozenset(
    {"view", "start_research", "submit", "set_verdict", "reuse_verdict", "comment", *SOURCE_ACTIONS}
)

# ---------------------------------------------------------------- refusal wording


class Refusal:
    """Every refusal the workflow gives, written once."""

    NOT_YOURS = "You can only work on claims assigned to you."
    OWN_APPROVAL = "You proposed this verdict, so someone else must approve it."
    VERDICT_WITH_EDITOR = (
        "The verdict is with the editor now; ask them to send it back to change it."
    )
    SOURCES_WITH_EDITOR = (
        "The sources are with the editor now; ask them to send the claim back to change them."
    )
    NOT_IN_TRIAGE = "Only claims that are not yet being researched can be {verb}."
    VERDICT_UNPUBLISHED = (
        "This verdict is not published yet: only editors and the claim's reviewer can see it."
    )
    ARTICLE_CLOSED = "This article is already closed."
    ARTICLE_OPEN = "This article is not closed."

    @staticmethod
    def editors_only(action: str) -> str:
        return f"Only an editor can {ACTION_LABELS.get(action, action.replace('_', ' '))}."

    @staticmethod
    def wrong_status(action: str, status: str) -> str:
        label = Status(status).label
        steps = ", ".join(ACTION_LABELS[a] for a in allowed_steps(status)) or "nothing"
        return f"Cannot {ACTION_LABELS[action]} a claim that is {label}. From {label} you can: {steps}."

    @staticmethod
    def verdict_frozen(status: str) -> str:
        hint = {
            Status.PUBLISHED: ": use “Correct” to change a published verdict.",
            Status.CORRECTED: ": use “Correct” to change a published verdict.",
            Status.APPROVED: ": send it back first, so the new verdict is approved again.",
        }.get(status, ".")
        return f"The verdict of a claim that is {Status(status).label} cannot be changed here{hint}"

    @staticmethod
    def sources_frozen(status: str) -> str:
        return f"Sources of a claim that is {Status(status).label} can no longer be changed."

    @staticmethod
    def no_due_date(status: str) -> str:
        return f"A claim that is {Status(status).label} has no due date: only open claims do."

    @staticmethod
    def wrong_move(current: str, to_status: str, moves: list[str]) -> str:
        label = Status(current).label
        options = ", ".join(Status(s).label for s in moves) or "nowhere from here"
        return (
            f"A claim cannot move from {label} to {Status(to_status).label}. "
            f"From {label} it can move to: {options}."
        )


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decision:
    """The answer of `can`: truthy when allowed, else a reason and a refusal kind."""

    allowed: bool
    reason: str = ""
    error: type[ServiceError] | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def raise_if_denied(self) -> None:
        if not self.allowed:
            raise (self.error or NotAllowed)(self.reason)


ALLOWED = Decision(True)


def _deny(error: type[ServiceError], reason: str) -> Decision:
    return Decision(False, reason, error)


def allowed_steps(status: str) -> list[str]:
    """The workflow steps that start from `status`, whoever takes them."""
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def target_status(action: str) -> str:
    return TRANSITIONS[action][1]


def is_assignee(user, claim) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and claim.assignee_id == user.pk


def role_allows(user, claim, action: str) -> Decision:
    """Whether this person's role lets them take `action` on this claim at all:
    editors everything, the assigned reviewer the research steps."""
    if is_editor(user):
        return ALLOWED
    if action not in REVIEWER_ACTIONS:
        return _deny(NotAllowed, Refusal.editors_only(action))
    if not (is_reviewer(user) and is_assignee(user, claim)):
        return _deny(NotAllowed, Refusal.NOT_YOURS)
    return ALLOWED


def status_allows(user, claim, action: str) -> Decision:
    """Whether the claim's status allows `action` now (given the person's role)."""
    status = claim.status
    if action in TRANSITIONS:
        if status not in TRANSITIONS[action][0]:
            return _deny(InvalidTransition, Refusal.wrong_status(action, status))
        if (
            action == "approve"
            and claim.proposed_by_id is not None
            and claim.proposed_by_id == user.pk
        ):
            return _deny(NotAllowed, Refusal.OWN_APPROVAL)
        return ALLOWED
    # Reusing an earlier verdict proposes a verdict: the same rules as setting one.
    if action in {"set_verdict", "reuse_verdict"}:
        if status not in VERDICT_EDITABLE or (status == Status.UNASSIGNED and not is_editor(user)):
            return _deny(InvalidTransition, Refusal.verdict_frozen(status))
        if not is_editor(user) and status not in RESEARCH_OPEN:
            return _deny(NotAllowed, Refusal.VERDICT_WITH_EDITOR)
        return ALLOWED
    if action in SOURCE_ACTIONS:
        if status in CLOSED:
            return _deny(InvalidTransition, Refusal.sources_frozen(status))
        if not is_editor(user) and status not in RESEARCH_OPEN:
            return _deny(NotAllowed, Refusal.SOURCES_WITH_EDITOR)
        return ALLOWED
    if action == "set_due_date" and status not in OPEN:
        return _deny(InvalidTransition, Refusal.no_due_date(status))
    if action in {"split", "merge"} and status not in TRIAGE:
        verb = "split" if action == "split" else "merged"
        return _deny(InvalidTransition, Refusal.NOT_IN_TRIAGE.format(verb=verb))
    return ALLOWED


def can(user, claim, action: str) -> Decision:
    """May `user` take `action` on `claim` now? Role first, then status.
    "see_verdict" asks `can_see_verdict`."""
    if action == "see_verdict":
        return (
            ALLOWED
            if can_see_verdict(user, claim)
            else _deny(NotAllowed, Refusal.VERDICT_UNPUBLISHED)
        )
    decision = role_allows(user, claim, action)
    return decision if not decision else status_allows(user, claim, action)


def require(user, claim, action: str) -> None:
    """Raise the refusal when `user` may not take `action` on `claim` now."""
    can(user, claim, action).raise_if_denied()


# ---------------------------------------------------------------- who sees a verdict
#
# A verdict (rating, conclusion, who proposed and approved it) is the newsroom's
# work in progress until the claim is published: proposed, in review and approved
# verdicts are seen by editors and by the claim's assignee only. Everyone signed in
# sees published and corrected verdicts. For anyone else an unpublished verdict
# does not exist: no badge, no export field, and verdict filters treat the claim
# as having none, so filtering cannot reveal it either.


def sees_every_verdict(user) -> bool:
    return is_editor(user)


def can_see_verdict(user, claim) -> bool:
    return claim.status in PUBLIC or sees_every_verdict(user) or is_assignee(user, claim)


def verdict_visible_q(*, viewer_id: int | None, every: bool) -> Q:
    """The claims whose verdict the viewer may see, as a filter (`can_see_verdict`
    for querysets). `every` is `sees_every_verdict(viewer)`."""
    if every:
        return Q()
    visible = Q(status__in=PUBLIC)
    if viewer_id is not None:
        visible |= Q(assignee_id=viewer_id)
    return visible


# ---------------------------------------------------------------- articles

ARTICLE_ACTIONS = frozenset({"close_article", "reopen_article"})


def can_article(user, article, action: str) -> Decision:
    """May `user` close or reopen `article` now? Editors only; an article is
    closed once and reopened once, in turn."""
    if action not in ARTICLE_ACTIONS:
        raise ValueError(f"Not an article action: {action}")
    if not is_editor(user):
        return _deny(NotAllowed, Refusal.editors_only(action))
    closed = article.closed_at is not None
    if action == "close_article" and closed:
        return _deny(InvalidTransition, Refusal.ARTICLE_CLOSED)
    if action == "reopen_article" and not closed:
        return _deny(InvalidTransition, Refusal.ARTICLE_OPEN)
    return ALLOWED


# The panel's step buttons and forms.
PANEL_ACTIONS = (
    *TRANSITIONS,
    "set_verdict",
    "set_due_date",
    "add_source",
    "comment",
)


def panel_steps(user, claim) -> set[str]:
    """The steps this person may take on this claim now: which buttons and forms to show.
    "sources" stands for adding, editing and removing sources."""
    steps = {action for action in PANEL_ACTIONS if can(user, claim, action)}
    if "add_source" in steps:
        steps.discard("add_source")
        steps.add("sources")
    return steps


# ---------------------------------------------------------------- board moves


def move_action(current: str, to_status: str, *, with_assignee: bool = False) -> str | None:
    """The step a board move from `current` to `to_status` stands for, if any."""
    if to_status == Status.ASSIGNED and (with_assignee or current == Status.UNASSIGNED):
        return "assign"
    if to_status == Status.UNASSIGNED:
        return "restore" if current == Status.DISMISSED else "unassign"
    if to_status == Status.RESEARCHING:
        return "send_back" if current in TRANSITIONS["send_back"][0] else "start_research"
    return {
        Status.IN_REVIEW: "submit",
        Status.APPROVED: "approve",
        Status.PUBLISHED: "publish",
        Status.DISMISSED: "dismiss",
    }.get(to_status)


# Moves the board cannot make: a correction needs a public note, so it is made on
# the claim's page.
BOARD_UNMOVABLE_TO = frozenset({Status.CORRECTED})


def moves(user, claim) -> list[str]:
    """The statuses this person may move the card to from the board, in column order."""
    options = []
    for status in Status:
        if status == claim.status or status in BOARD_UNMOVABLE_TO:
            continue
        action = move_action(claim.status, status)
        if (
            action is not None
            and status_allows(user, claim, action)
            and role_allows(user, claim, action)
        ):
            options.append(status.value)
    return options
