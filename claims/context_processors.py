from django.http import HttpRequest

from claims.permissions import is_editor, is_reviewer


def roles(request: HttpRequest) -> dict:
    """Role flags and the unread-notification count for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_editor": False, "is_reviewer": False, "unread_notifications": 0}
    return {
        "is_editor": is_editor(user),
        "is_reviewer": is_reviewer(user),
        "unread_notifications": lambda: user.notifications.filter(read_at__isnull=True).count(),
    }
