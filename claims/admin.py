"""Admin: users and roles (Django's own), the verdict scale, and read-mostly views of the work.

Claim workflow changes belong to the app's screens (they go through services and
write audit events), so claims, sources and comments are read-only here; the
audit log can be neither edited nor deleted.
"""

from django.contrib import admin

from claims.models import (
    Article,
    Claim,
    Comment,
    Correction,
    Event,
    Job,
    Notification,
    OutboxMessage,
    Rating,
    Source,
)
from claims.text import shorten


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    ordering = ["position", "name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "author", "published_on", "added_by", "created_at"]
    list_filter = ["outlet", "published_on", "created_at"]
    search_fields = ["title", "outlet", "author", "url"]
    date_hierarchy = "created_at"
    readonly_fields = ["body", "candidates", "extracted_at", "added_by", "created_at", "updated_at"]
    list_select_related = ["added_by"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["url", "title", "publisher", "stance", "added_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = [
        "short_text",
        "article",
        "status",
        "assignee",
        "rating",
        "due_date",
        "score",
        "updated_at",
    ]
    list_filter = ["status", "rating", "assignee", "due_date"]
    search_fields = ["text", "conclusion", "article__title"]
    list_select_related = ["article", "assignee", "rating"]
    inlines = [SourceInline]

    @admin.display(description="claim")
    def short_text(self, obj: Claim) -> str:
        return shorten(obj.text, 100)


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["url", "title", "publisher", "stance", "claim", "added_by", "created_at"]
    list_filter = ["stance", "publisher"]
    search_fields = ["url", "title", "publisher", "excerpt"]
    list_select_related = ["claim", "added_by"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["claim", "author", "created_at"]
    search_fields = ["body"]
    list_filter = ["created_at"]
    list_select_related = ["claim", "author"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["claim", "previous_rating", "new_rating", "corrected_by", "created_at"]
    search_fields = ["note"]
    list_select_related = ["claim", "previous_rating", "new_rating", "corrected_by"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "claim", "article", "message"]
    list_filter = ["action", "created_at"]
    search_fields = ["message", "action"]
    list_select_related = ["actor", "claim", "article"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "message", "read_at", "created_at"]
    list_filter = ["read_at"]
    search_fields = ["message"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["kind", "state", "attempts", "next_attempt_at", "sent_at", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["last_error"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "state",
        "done",
        "total",
        "attempts",
        "heartbeat_at",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "state"]
    exclude = ["output"]
