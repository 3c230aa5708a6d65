"""Forms validate and clean input; state changes happen in claims.services."""

from __future__ import annotations

from django import forms  # noqa: F401

# ---------------------------------------------------------------- board

# ---------------------------------------------------------------- claim panel (workflow steps, sources, comments)

# ---------------------------------------------------------------- articles and triage

# ---------------------------------------------------------------- reports
