"""Markdown written by participants, turned into HTML that cannot carry scripts."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source stays text; nh3 then keeps only harmless tags and attributes.
_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text: str) -> Markup:
    return Markup(nh3.clean(_PARSER.render(text or ""), link_rel="nofollow noopener"))
