"""Drawing on the server: what the SVG views (ego networks, timelines) share.

Escaping for SVG, the order and colours of entity types, short labels, a text element and a legend.

>>> short("ASEAN Senior Officials' Meeting (2025-09-09, Port Dickson)", 44)
'ASEAN Senior Of… (2025-09-09, Port Dickson)'
"""

from __future__ import annotations

from markupsafe import Markup
from markupsafe import escape as _escape

from ..exports import COLORS, GREY
from ..xmltext import xml_safe


def escape(value: object) -> Markup:
    """Text for SVG: escaped, and without what XML 1.0 forbids (a ``\\x01`` made the whole SVG unreadable)."""
    if isinstance(value, Markup):  # already escaped
        return Markup(xml_safe(str(value)))
    return _escape(xml_safe(str(value)))


#: The order types are grouped in around an ego and in legends.
TYPE_ORDER = ["Meeting", "Person", "Country", "Organization", "Post", "Role", "Initiative", "Document",
              "MeetingSeries", "Place", "Partnership", "Chairmanship", "Participation", "PartnershipLevel"]


def color(kind: str) -> str:
    """The ``#rrggbb`` colour of a broad type (the exports' palette).

    >>> color("Person")
    '#1f77b4'
    """
    r, g, b = COLORS.get(kind, GREY)
    return f"#{r:02x}{g:02x}{b:02x}"


def type_rank(kind: str) -> int:
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


def short(text: str, n: int = 28) -> str:
    """``text`` cut to ``n`` characters; a closing "(day, place)" that tells it apart is kept.

    >>> short("Emergency ASEAN Foreign Ministers' Meeting", 20)
    'Emergency ASEAN For…'
    """
    if len(text) <= n:
        return text
    head, paren, tail = text.rpartition(" (")
    if paren and tail.endswith(")") and len(tail) + 10 <= n:
        return head[: n - len(tail) - 4].rstrip() + "… (" + tail
    return text[: n - 1].rstrip() + "…"


def svg_text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "middle", size: int = 11,
          title: str | None = None) -> str:
    attrs = f' class="{cls}"' if cls else ""
    tip = f"<title>{escape(title)}</title>" if title else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{attrs}>'
            f"{tip}{escape(text)}</text>")


def legend(types: list[str], x: float, y: float) -> list[str]:
    """A legend in one line: a coloured dot and the type's name for each type."""
    parts = ['<g class="legend">']
    for kind in types:
        parts.append(f'<circle cx="{x + 6:.0f}" cy="{y}" r="6" fill="{color(kind)}"/>')
        parts.append(svg_text(x + 16, y + 4, kind or "other", anchor="start"))
        x += 30 + 7 * len(kind or "other")
    parts.append("</g>")
    return parts
