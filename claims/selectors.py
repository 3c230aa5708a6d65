"""Reads: the queries screens and exports need, shaped for constant query counts."""

from __future__ import annotations

# ---------------------------------------------------------------- board (review board, My claims)

# ---------------------------------------------------------------- claim panel

# ---------------------------------------------------------------- articles and triage

# ---------------------------------------------------------------- reports
