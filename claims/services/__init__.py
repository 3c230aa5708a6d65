"""Every state change: one function each, keyword-only arguments, one transaction,
one audit Event per change. Views and commands call these; the rules they enforce
live in claims.workflow.

Modules by subject: `write` (the lock/check/save/audit helper), `articles`
(articles and triage), `assignment`, `research` (verdict, sources), `decisions`
(submit, approve, send back, publish, correct, dismiss, moves), `discussion`,
`exports` (queued jobs), `notifications`. The public names are re-exported here,
so callers write `services.claim_assign(...)`.
"""

from claims.errors import (
    Busy,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
    StaleVersion,
)
from claims.services.archive import (
    archive_entry_for_claim,
    archive_import_chunk,
    archive_import_job_create,
    archive_import_run,
)
from claims.services.articles import (
    article_close,
    article_create,
    article_extract,
    article_reopen,
    claim_add_from_selection,
    claim_edit_text,
    claim_split,
    claims_keep,
    claims_merge,
)
from claims.services.assignment import (
    claim_assign,
    claim_set_due_date,
    claim_unassign,
    claims_assign,
    claims_auto_assign,
    reviewer_loads,
)
from claims.services.decisions import (
    claim_approve,
    claim_correct,
    claim_dismiss,
    claim_move,
    claim_publish,
    claim_restore,
    claim_send_back,
    claim_submit,
    submit_blockers,
)
from claims.services.discussion import comment_add, notifications_mark_read
from claims.services.exports import export_job_create, import_job_create
from claims.services.matching import (
    archive_changed,
    archive_encode_missing,
    archive_index,
    claim_link_same,
    claim_reuse_verdict,
    claims_match,
    matching_request,
)
from claims.services.rescoring import rescore_apply, rescore_current, rescore_job_create
from claims.services.research import (
    claim_set_verdict,
    claim_start_research,
    source_add,
    source_edit,
    source_remove,
    validate_conclusion,
)
from claims.services.write import claim_snapshot, record_event

__all__ = [
    "Busy",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "ServiceError",
    "StaleVersion",
    "archive_encode_missing",
    "archive_changed",
    "archive_entry_for_claim",
    "archive_import_chunk",
    "archive_import_job_create",
    "archive_import_run",
    "archive_index",
    "article_close",
    "article_create",
    "article_extract",
    "article_reopen",
    "claim_add_from_selection",
    "claim_approve",
    "claim_assign",
    "claim_correct",
    "claim_dismiss",
    "claim_edit_text",
    "claim_link_same",
    "claim_move",
    "claim_publish",
    "claim_restore",
    "claim_reuse_verdict",
    "claim_send_back",
    "claim_set_due_date",
    "claim_set_verdict",
    "claim_snapshot",
    "claim_split",
    "claim_start_research",
    "claim_submit",
    "claim_unassign",
    "claims_assign",
    "claims_auto_assign",
    "claims_keep",
    "claims_match",
    "claims_merge",
    "comment_add",
    "export_job_create",
    "import_job_create",
    "matching_request",
    "notifications_mark_read",
    "record_event",
    "rescore_apply",
    "rescore_current",
    "rescore_job_create",
    "reviewer_loads",
    "source_add",
    "source_edit",
    "source_remove",
    "submit_blockers",
    "validate_conclusion",
]
