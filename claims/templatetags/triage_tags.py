"""`{% preselect_control %}`: the triage screen's "Pre-select: strict / normal / broad".

The cuts come from the check-worthiness calibration (claims.extraction), so
they mean the same thing as each row's `checkworthy` flag: "normal" is the
default cut, "strict" asks for higher precision, "broad" for more recall.
"""

from django import template

from claims.extraction import checkworthy_cut, preselect_levels

register = template.Library()

LEVEL_LABELS = (("strict", "Strict"), ("normal", "Normal"), ("broad", "Broad"))


@register.inclusion_tag("claims/_preselect.html")
def preselect_control() -> dict:
    levels = preselect_levels()
    return {
        "levels": [(name, label, f"{levels[name]:.2f}") for name, label in LEVEL_LABELS],
        "default_cut": f"{checkworthy_cut():.2f}",
    }
