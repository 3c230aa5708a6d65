"""Domain models: articles, their claims, the sources and verdicts behind them.

State changes go through `claims.services`; the rules between statuses live in
`claims.workflow`; these classes hold data, choices and
database constraints only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

EDITORS_GROUP = "Editors"
REVIEWERS_GROUP = "Reviewers"


class Rating(models.Model):
    """One entry of the verdict scale. Ordinal ratings carry a value 1..5."""

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (worst) to 5 (best); empty for non-ordinal verdicts."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in menus.")
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="rating_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ordinal(self) -> bool:
        return self.value is not None

    @property
    def css_class(self) -> str:
        if self.value is None:
            return "verdict-other"
        return f"verdict-{self.value}"


class Article(models.Model):
    title = models.CharField(max_length=300)
    # Kept exactly as given: claim offsets index into it.
    body = models.TextField()
    outlet = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sentences proposed by the last extraction run: list of
    # {"start", "end", "score", "checkworthy", "kinds"}; claims are what the editor kept.
    candidates = models.JSONField(default=list, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # Closed by an editor: out of the lists, filters and board; history and
    # exports stay. ("Archive" means the fact-check archive, so not that word.)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at"], name="article_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__istartswith="http://")
                | Q(url__istartswith="https://"),
                name="article_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:article-detail", args=[self.pk])


class ClaimStatus(models.TextChoices):
    """Where the work on a claim is. The rules between them live in claims.workflow."""

    UNASSIGNED = "unassigned", "Unassigned"
    ASSIGNED = "assigned", "Assigned"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    DISMISSED = "dismissed", "Dismissed"


class SourceStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class Claim(models.Model):
    Status = ClaimStatus

    class Kind(models.TextChoices):
        QUANTITY = "quantity", "Quantity"
        CORRELATION_CAUSATION = "correlation_causation", "Correlation or causation"
        PREDICTION = "prediction", "Prediction"
        RULES_LAWS = "rules_laws", "Rules or laws"
        PERSONAL_EXPERIENCE = "personal_experience", "Personal experience"
        QUOTE_ATTRIBUTION = "quote_attribution", "Quote or attribution"
        OTHER = "other", "Other"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    # The wording being checked; may be edited. start/end keep pointing at the
    # original sentence(s) in article.body.
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    score = models.FloatField(default=0.0)
    kinds = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.UNASSIGNED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    due_date = models.DateField(null=True, blank=True)
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    conclusion = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_reason = models.TextField(blank=True)
    # Set on a claim merged away into another: it is gone, not dismissed, so
    # counts and reports leave it out.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every write; edits carry the version the user saw (optimistic locking).
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "position", "start", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="claim_status_due_idx"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status_idx"),
            models.Index(fields=["article", "position"], name="claim_article_pos_idx"),
            models.Index(fields=["rating"], name="claim_rating_idx"),
            models.Index(fields=["-updated_at"], name="claim_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=models.F("start")),
                name="claim_offsets_ordered",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0.0, score__lte=1.0), name="claim_score_0_1"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            # One live claim per span; a dismissed one may be kept again later.
            models.UniqueConstraint(
                fields=["article", "start", "end"],
                condition=~Q(status="dismissed"),
                name="claim_unique_live_span",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("claims:claim-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        from claims.workflow import OPEN

        return self.status in OPEN

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.is_open and self.due_date < timezone.localdate())


class Source(models.Model):
    Stance = SourceStance

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(max_length=2000, blank=True)
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance, default=Stance.CONTEXT)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "url"], name="source_unique_url_per_claim"),
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="source_url_http",
            ),
            models.CheckConstraint(
                condition=Q(archived_url="")
                | Q(archived_url__istartswith="http://")
                | Q(archived_url__istartswith="https://"),
                name="source_archived_url_http",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=SourceStance.values), name="source_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Correction(models.Model):
    """A change to a published verdict, shown publicly in the report's corrections log."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    previous_rating = models.ForeignKey(
        Rating, null=True, on_delete=models.PROTECT, related_name="+"
    )
    new_rating = models.ForeignKey(Rating, null=True, on_delete=models.PROTECT, related_name="+")
    previous_conclusion = models.TextField(blank=True)
    new_conclusion = models.TextField(blank=True)
    note = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of claim {self.claim_id}: {self.note[:60]}"


class EventQuerySet(models.QuerySet):
    """The audit log is append-only: bulk update and delete are refused."""

    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class Event(models.Model):
    """Append-only audit log, written in the same transaction as the change."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    # The claim version this event produced: a refused stale edit lists the events after
    # the version the user saw, so they can see what changed and who changed it.
    claim_version = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="event_claim_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")


class Notification(models.Model):
    """An entry in a person's "My claims" list (an email goes out too)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message[:60]


class Job(models.Model):
    """A background job (bulk import, large export) with progress for the page and terminal."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"
        ARCHIVE_IMPORT = "archive", "Archive import"
        RESCORE = "rescore", "Re-score"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Per-item outcomes: [{"name": ..., "ok": bool, "message": ..., "article_id": ...}]
    results = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    output = models.BinaryField(null=True, blank=True)
    output_name = models.CharField(max_length=200, blank=True)
    output_content_type = models.CharField(max_length=100, blank=True)
    # Recovery from a killed worker (claims.jobs): the running task writes a heartbeat
    # per item; the reaper re-queues a job whose heartbeat went stale, or fails it with
    # `error` after FACTCHECK_JOB_MAX_ATTEMPTS starts. task_id is the tasks-backend row.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="job_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job {self.pk} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class OutboxMessage(models.Model):
    """A side effect (email now; webhooks, chat, matching later) written in the same
    transaction as the change that causes it and delivered afterwards by
    `claims.tasks.deliver_outbox`, with its attempts. `kind` picks the handler in
    `claims.outbox.HANDLERS`; `payload` is what the handler needs."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        # Claimed by a delivery run until next_attempt_at (a lease): a run that dies
        # mid-send leaves the row due again once the lease ends.
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} message {self.pk} ({self.get_state_display()})"


# ---------------------------------------------------------------- "Checked before"
#
# The fact-check archive and what links claims to it:
# - ArchiveEntry: one published fact-check, this newsroom's own (`claim` set, kept
#   in step with the claim when it is published or corrected) or imported from
#   another publisher (`url` unique among imported entries, so re-importing updates).
#   `vector` is the matching encoder's vector, stored so a restart does not
#   re-encode; rows whose `vector_version` differs from the engine's are re-encoded.
# - MatchRun: one per claim sent to matching; "pending" until the background task
#   stored its results (the panel says "Looking for earlier checks…"). It also keeps
#   the claim's own vector, so open claims can be matched against each other.
# - ClaimMatch: a stored result: the claim is close to an archive entry or to an
#   open claim in another article, with the engine's score.
# - ClaimLink: what an editor decided about a match: "same claim" (the two are one
#   claim) or "reused verdict" (the verdict was copied from there as a proposal).


class ArchiveEntry(models.Model):
    class Origin(models.TextChoices):
        NEWSROOM = "newsroom", "This newsroom"
        IMPORTED = "imported", "Imported"

    claim_text = models.TextField()
    rating = models.CharField(max_length=200, blank=True, help_text="The rating as published.")
    # 1..5 when the published rating is one of this newsroom's ordinal ratings: the badge colour.
    rating_value = models.PositiveSmallIntegerField(null=True, blank=True)
    conclusion = models.TextField(blank=True, help_text="Conclusion or headline.")
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, blank=True)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.IMPORTED)
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="archive_entry"
    )
    sources_count = models.PositiveIntegerField(default=0)
    vector = models.BinaryField(null=True, blank=True)
    vector_version = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name_plural = "archive entries"
        indexes = [
            models.Index(fields=["publisher"], name="archive_publisher_idx"),
            models.Index(fields=["-published_on", "-id"], name="archive_date_idx"),
            models.Index(fields=["language"], name="archive_language_idx"),
            models.Index(fields=["rating"], name="archive_rating_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=Q(origin="imported"), name="archive_unique_imported_url"
            ),
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__istartswith="http://")
                | Q(url__istartswith="https://"),
                name="archive_url_http",
            ),
            models.CheckConstraint(
                condition=Q(origin="newsroom", claim__isnull=False)
                | Q(origin="imported", claim__isnull=True),
                name="archive_origin_matches_claim",
            ),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True)
                | Q(rating_value__gte=1, rating_value__lte=5),
                name="archive_rating_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.claim_text[:80]

    @property
    def match_text(self) -> str:
        """What matching compares a claim with: the claim and its headline."""
        return f"{self.claim_text} {self.conclusion}".strip()

    @property
    def css_class(self) -> str:
        return f"verdict-{self.rating_value}" if self.rating_value else "verdict-other"

    @property
    def link(self) -> str:
        if self.url:
            return self.url
        return self.claim.get_absolute_url() if self.claim_id else ""


class MatchRun(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Looking for earlier checks"
        DONE = "done", "Done"

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="match_run")
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    # The text that was matched: a changed wording is matched again.
    text = models.TextField(blank=True)
    vector = models.BinaryField(null=True, blank=True)
    vector_version = models.CharField(max_length=80, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "done"]), name="matchrun_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Matching of claim {self.claim_id}: {self.state}"


class ClaimMatch(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey(
        ArchiveEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, other_claim__isnull=True)
                | Q(entry__isnull=True, other_claim__isnull=False),
                name="claimmatch_one_target",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0.0, score__lte=1.0), name="claimmatch_score_0_1"
            ),
            # One row per claim and target, however the runs that found it overlapped.
            models.UniqueConstraint(
                fields=["claim", "entry"],
                condition=Q(entry__isnull=False),
                name="claimmatch_one_per_entry",
            ),
            models.UniqueConstraint(
                fields=["claim", "other_claim"],
                condition=Q(other_claim__isnull=False),
                name="claimmatch_one_per_other_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} ~ {self.entry_id or self.other_claim_id} ({self.score:.2f})"


class ClaimLink(models.Model):
    class Kind(models.TextChoices):
        SAME_CLAIM = "same_claim", "Same claim"
        REUSED_VERDICT = "reused_verdict", "Reused verdict"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind)
    entry = models.ForeignKey(
        ArchiveEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    other_claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="linked_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(claim=models.F("other_claim")), name="claimlink_not_self"
            ),
            models.UniqueConstraint(
                fields=["claim", "kind", "entry"],
                condition=Q(entry__isnull=False),
                name="claimlink_unique_entry",
            ),
            models.UniqueConstraint(
                fields=["claim", "kind", "other_claim"],
                condition=Q(other_claim__isnull=False),
                name="claimlink_unique_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: claim {self.claim_id}"
