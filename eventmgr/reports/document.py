"""A report as format-neutral blocks, and its Markdown and HTML renderings.

Everything here works on a report *snapshot* (the dict a revision stores), so the
live report, any old revision and the exports share one renderer. Markdown is
parsed with markdown-it-py with raw HTML switched off (a `<script>` typed in a
note stays text), and every piece of HTML produced is cleaned again with nh3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markupsafe import escape

from eventmgr.reports.enums import SectionKind

MARKDOWN = MarkdownIt("commonmark", {"html": False})
INLINE_TAGS = {"strong", "em", "code", "a", "br"}
INLINE_ATTRIBUTES = {"a": {"href"}}
# Headings inside a section body sit below the section's own heading.
BODY_HEADING_MIN_LEVEL = 3


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """A heading, paragraph or bullet, with its Markdown source, safe inline HTML and runs."""

    kind: str  # "heading", "paragraph" or "bullet"
    source: str
    html: str
    runs: list[Run]
    level: int = 1
    number: int | None = None


@dataclass
class Section:
    kind: SectionKind
    title: str
    blocks: list[Block]

    @property
    def on_own_page(self) -> bool:
        return self.kind is SectionKind.ENCLOSURE


@dataclass
class Letter:
    sender: str
    addressee: str
    date: dt.date | None
    body: list[Block]
    signature: str


@dataclass
class ReportDocument:
    title: str
    subtitle: str
    numbered: bool
    sections: list[Section]
    letter: Letter | None = None


def _runs(children) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for child in children or ():
        match child.type:
            case "strong_open" | "strong_close":
                bold = child.type == "strong_open"
            case "em_open" | "em_close":
                italic = child.type == "em_open"
            case "text" | "image" if child.content:
                runs.append(Run(child.content, bold=bold, italic=italic))
            case "code_inline":
                runs.append(Run(child.content, code=True))
            case "softbreak":
                runs.append(Run(" ", bold=bold, italic=italic))
            case "hardbreak":
                runs.append(Run("\n"))
    return runs


def _inline_html(token) -> str:
    html = MARKDOWN.renderer.renderInline(token.children or [], MARKDOWN.options, {})
    return nh3.clean(html, tags=INLINE_TAGS, attributes=INLINE_ATTRIBUTES)


def parse_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown text; lists flatten to bullets with their depth as level."""
    blocks: list[Block] = []
    list_depth = 0
    heading_level: int | None = None
    for token in MARKDOWN.parse(markdown or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "inline":
            runs, html = _runs(token.children), _inline_html(token)
            if heading_level is not None:
                blocks.append(Block("heading", token.content, html, runs, level=heading_level))
                heading_level = None
            elif list_depth:
                blocks.append(Block("bullet", token.content, html, runs, level=list_depth))
            else:
                blocks.append(Block("paragraph", token.content, html, runs))
        elif token.type in ("fence", "code_block"):
            text = token.content.rstrip("\n")
            blocks.append(Block("paragraph", "    " + text.replace("\n", "\n    "),
                                f"<code>{escape(text)}</code>", [Run(text, code=True)]))
    return blocks


def build_document(snapshot: dict) -> ReportDocument:
    """The report of a snapshot, with paragraph numbers through the whole report when on.

    The enclosure is a list, not part of the argument, so its paragraphs take no numbers.
    """
    numbered = bool(snapshot.get("numbered"))
    number = 0
    sections = []
    for data in snapshot["sections"]:
        kind = SectionKind(data["kind"])
        blocks = parse_blocks(data["body"])
        for block in blocks:
            if block.kind == "heading":
                block.level = max(block.level, BODY_HEADING_MIN_LEVEL)
            elif block.kind == "paragraph" and numbered and kind is not SectionKind.ENCLOSURE:
                number += 1
                block.number = number
        sections.append(Section(kind, data["title"], blocks))
    letter = None
    if snapshot.get("letter"):
        data = snapshot["letter"]
        letter = Letter(sender=data["sender"], addressee=data["addressee"],
                        date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
                        body=parse_blocks(data["body"]), signature=data["signature"])
    return ReportDocument(title=snapshot["title"], subtitle=snapshot.get("subtitle", ""),
                          numbered=numbered, sections=sections, letter=letter)


def plain_excerpt(markdown: str, limit: int = 160) -> str:
    """The start of a Markdown text as plain words, for lists of sections."""
    # Only the start is parsed: a section may hold hundreds of sessions' notes.
    blocks = parse_blocks((markdown or "")[:limit * 3])
    text = " ".join(" ".join("".join(run.text for run in block.runs) for block in blocks).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


# ---------------------------------------------------------------- Markdown

def _block_markdown(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * block.level} {block.source}"
    if block.kind == "bullet":
        return f"{'  ' * (block.level - 1)}- {block.source}"
    if block.number is not None:
        # Escaped so the number reads as text, not as the start of a Markdown list.
        return f"{block.number}\\. {block.source}"
    return block.source


def _join_blocks(blocks: list[Block]) -> str:
    out = ""
    for index, block in enumerate(blocks):
        if index:
            # Bullets of one list stay together; a blank line ends the list.
            out += "\n" if block.kind == "bullet" == blocks[index - 1].kind else "\n\n"
        out += _block_markdown(block)
    return out


def _hard_lines(text: str, *, bold: bool = False) -> str:
    """Lines of a letter field, kept as separate lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "  \n".join(f"**{line}**" if bold else line for line in lines)


def render_markdown(document: ReportDocument) -> str:
    parts: list[str] = []
    if document.letter:
        letter = document.letter
        parts.append(_hard_lines(letter.sender))
        parts.append(long_date(letter.date) if letter.date else "")
        parts.append(_hard_lines(letter.addressee, bold=True))
        parts.append(_join_blocks(letter.body))
        parts.append(_hard_lines(letter.signature))
        parts.append("---")
        parts.append("Annex")
    parts.append(f"# {document.title}")
    if document.subtitle:
        parts.append("  \n".join(f"**{line}**" for line in document.subtitle.splitlines() if line))
    for section in document.sections:
        parts.append(f"## {section.title}")
        if section.blocks:
            parts.append(_join_blocks(section.blocks))
    return "\n\n".join(part for part in parts if part) + "\n"


# ---------------------------------------------------------------- HTML

def render_blocks_html(blocks: list[Block]) -> str:
    out: list[str] = []
    depth = 0
    for block in blocks:
        target = block.level if block.kind == "bullet" else 0
        while depth < target:
            out.append("<ul>")
            depth += 1
        while depth > target:
            out.append("</ul>")
            depth -= 1
        if block.kind == "heading":
            level = min(block.level, 6)
            out.append(f"<h{level}>{block.html}</h{level}>")
        elif block.kind == "bullet":
            out.append(f"<li>{block.html}</li>")
        elif block.number is not None:
            out.append(f'<p class="numbered"><span class="paragraph-number">{block.number}.</span>'
                       f"{block.html}</p>")
        else:
            out.append(f"<p>{block.html}</p>")
    out.extend("</ul>" for _ in range(depth))
    return "\n".join(out)


def _lines_html(text: str, *, strong: bool = False) -> str:
    lines = [escape(line) for line in text.splitlines() if line.strip()]
    if strong:
        lines = [f"<strong>{line}</strong>" for line in lines]
    return "<br>".join(lines)


def render_html(document: ReportDocument) -> str:
    """The report as an HTML fragment (for a page or a standalone file); safe to insert as is."""
    out: list[str] = []
    if document.letter:
        letter = document.letter
        out.append('<section class="report-letter">')
        out.append(f'<p class="letter-sender">{_lines_html(letter.sender)}</p>')
        if letter.date:
            out.append(f'<p class="letter-date">{escape(long_date(letter.date))}</p>')
        out.append(f'<p class="letter-addressee">{_lines_html(letter.addressee, strong=True)}</p>')
        out.append(render_blocks_html(letter.body))
        out.append(f'<p class="letter-signature">{_lines_html(letter.signature)}</p>')
        out.append('</section>\n<p class="annex-label">Annex</p>')
    out.append(f"<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        out.append(f'<p class="report-subtitle">{_lines_html(document.subtitle, strong=True)}</p>')
    for section in document.sections:
        page = " report-new-page" if section.on_own_page else ""
        out.append(f'<section class="report-section report-{section.kind.value}{page}">')
        out.append(f"<h2>{escape(section.title)}</h2>")
        out.append(render_blocks_html(section.blocks))
        out.append("</section>")
    return "\n".join(out)


def standalone_html(document: ReportDocument) -> str:
    """A whole HTML file, for the export command."""
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(document.title)}</title>\n</head>\n<body>\n<main>\n"
            f"{render_html(document)}\n</main>\n</body>\n</html>\n")
