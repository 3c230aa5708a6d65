"""What the "Checked before" box needs on a claim, shared by the article page and the panel."""

from __future__ import annotations

from claims import workflow
from claims.models import Claim
from claims.selectors.archive import CheckedBefore


def attach_match_actions(user, claim: Claim, box: CheckedBefore) -> None:
    """Put the stored matches on the claim, with the actions this person may take."""
    claim.checked = box
    claim.can_link = bool(workflow.can(user, claim, "link_same"))
    claim.can_reuse = bool(workflow.can(user, claim, "reuse_verdict"))
