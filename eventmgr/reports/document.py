"""A report as format-neutral blocks, and its Markdown and HTML renderings.

Everything here works on a report *snapshot* (the dict a revision stores), so the
live report, any old revision and the exports share one renderer. Markdown is
parsed with markdown-it-py with raw HTML switched off (a `<script>` typed in a
note stays text), and every piece of HTML produced is cleaned again with nh3.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markupsafe import escape

from eventmgr.documents.dates import long_date
from eventmgr.reports.enums import SectionKind

MARKDOWN = MarkdownIt("commonmark", {"html": False})
INLINE_TAGS = {"strong", "em", "code", "a", "br"}
INLINE_ATTRIBUTES = {"a": {"href"}}
# Headings inside a section body sit below the section's own heading.
BODY_HEADING_MIN_LEVEL = 3
# Text that stands in for missing content, never exported: what earlier drafts wrote when
# nothing was recorded ("No key findings have been recorded yet."), and a drafter's note
# in square brackets on a paragraph of its own ("[Conclusion to be written]").
PLACEHOLDER = re.compile(r"^(?:No .+ (?:has|have) been recorded yet\.|No participants are (?:listed|recorded)"
                         r".* yet\.|\[[^\[\]]*\])$", re.DOTALL)
# Text without any of these has no heading (ATX or setext) and no placeholder.
HEADING_OR_PLACEHOLDER_MARKS = ("#", "==", "--", "[", "recorded yet", "listed yet")
ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50),
         ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Block:
    """A heading, paragraph or bullet, with its Markdown source, runs and safe inline HTML.

    The HTML is made when first asked for: the DOCX and Markdown exports never need it.
    """

    kind: str  # "heading", "paragraph" or "bullet"
    source: str
    runs: list[Run]
    level: int = 1
    number: int | None = None
    # A numbered subsection heading's letter ("A").
    label: str | None = None
    # The inline tokens the HTML is rendered from, or the HTML itself.
    markup: object = None

    @property
    def html(self) -> str:
        if not isinstance(self.markup, str):
            rendered = MARKDOWN.renderer.renderInline(self.markup or [], MARKDOWN.options, {})
            self.markup = nh3.clean(rendered, tags=INLINE_TAGS, attributes=INLINE_ATTRIBUTES)
        return self.markup

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Section:
    kind: SectionKind
    title: str
    blocks: list[Block]
    # The section's Roman number ("II") when the report is numbered; the enclosure has none.
    label: str | None = None

    @property
    def on_own_page(self) -> bool:
        return self.kind is SectionKind.ENCLOSURE


def _in_sentence(text: str) -> str:
    """ "The President of …" as it reads inside a sentence: "the President of …"."""
    text = " ".join(text.split())
    return "t" + text[1:] if text.startswith("The ") else text


@dataclass
class Letter:
    """A letter in UN correspondence form; `sender` is the office, `sender_function` who writes."""

    sender: str
    addressee: str
    date: dt.date | None
    body: list[Block]
    signature: str
    symbol: str = ""
    organ: str = ""
    language: str = "English"
    sender_function: str = ""

    @property
    def title(self) -> str:
        """ "Letter dated 23 December 2014 from the Chargé d'affaires a.i. of the Permanent Mission
        of Germany to the United Nations addressed to the President of the Security Council"."""
        parts = ["Letter"]
        if self.date:
            parts.append(f"dated {long_date(self.date)}")
        sender = _in_sentence(self.sender)
        if self.sender_function:
            sender = f"{_in_sentence(self.sender_function)} of {sender}" if sender else \
                _in_sentence(self.sender_function)
        if sender:
            parts.append(f"from {sender}")
        if self.addressee.strip():
            parts.append(f"addressed to {_in_sentence(self.addressee)}")
        return " ".join(parts)

    @property
    def annex_heading(self) -> str:
        return "Annex to the " + self.title[0].lower() + self.title[1:]

    @property
    def signature_lines(self) -> list[str]:
        return [line.strip() for line in self.signature.splitlines() if line.strip()]


@dataclass
class DocumentMeta:
    """What the page furniture and properties of an export say, from the event."""

    author: str = ""
    running_head: str = ""
    date: dt.date | None = None


@dataclass
class ReportDocument:
    title: str
    subtitle: str
    numbered: bool
    sections: list[Section]
    letter: Letter | None = None
    meta: DocumentMeta = field(default_factory=DocumentMeta)


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
            runs, inline = _runs(token.children), token.children
            if heading_level is not None:
                blocks.append(Block("heading", token.content, runs, level=heading_level, markup=inline))
                heading_level = None
            elif list_depth:
                blocks.append(Block("bullet", token.content, runs, level=list_depth, markup=inline))
            else:
                blocks.append(Block("paragraph", token.content, runs, markup=inline))
        elif token.type in ("fence", "code_block"):
            text = token.content.rstrip("\n")
            blocks.append(Block("paragraph", "    " + text.replace("\n", "\n    "), [Run(text, code=True)],
                                markup=f"<code>{escape(text)}</code>"))
    return blocks


def roman(number: int) -> str:
    out = ""
    for letters, value in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def is_placeholder(block: Block) -> bool:
    return block.kind != "heading" and bool(PLACEHOLDER.match(" ".join(block.text.split())))


def substantive_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks an export shows: no placeholder text, no heading with nothing under it."""
    kept = [block for block in blocks if not is_placeholder(block)]
    # A heading stays when content follows before the next heading of its level or above:
    # headings wait on a stack until content comes (keeping them all) or an equal or higher
    # heading closes them.
    keep = [block.kind != "heading" for block in kept]
    waiting: list[int] = []
    for index, block in enumerate(kept):
        if block.kind == "heading":
            while waiting and kept[waiting[-1]].level >= block.level:
                waiting.pop()
            if block.text.strip():
                waiting.append(index)
        else:
            for heading in waiting:
                keep[heading] = True
            waiting.clear()
    return [block for block, kept_block in zip(kept, keep, strict=True) if kept_block]


def content_issues(markdown: str) -> list[str]:
    """What the exports will leave out of a section's text, for the editor to flag."""
    if markdown.strip() and not any(mark in markdown for mark in HEADING_OR_PLACEHOLDER_MARKS):
        return []  # text without headings or placeholders: nothing to leave out, no parse needed
    blocks = parse_blocks(markdown)
    for block in blocks:
        if block.kind == "heading":
            block.level = max(block.level, BODY_HEADING_MIN_LEVEL)
    kept = substantive_blocks(blocks)
    if not kept:
        return ["Nothing recorded: the section is left out of the exports."]
    issues = [f"Placeholder, never exported: “{block.text}”" for block in blocks if is_placeholder(block)]
    kept_ids = {id(block) for block in kept}
    issues += [f"Heading with nothing under it, left out: “{block.text}”" for block in blocks
               if block.kind == "heading" and id(block) not in kept_ids]
    return issues


def build_document(snapshot: dict, meta: DocumentMeta | None = None) -> ReportDocument:
    """The report of a snapshot as exports show it.

    Only what has content is kept: a section or subheading with nothing under it, and
    placeholder text, are left out. With numbering on, sections take Roman numbers, their
    first-level subheadings letters, and paragraphs numbers through the whole report. The
    enclosure is a list, not part of the argument, so it takes no numbers.
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
        blocks = substantive_blocks(blocks)
        if not blocks or not data["title"].strip():
            continue
        counted = numbered and kind is not SectionKind.ENCLOSURE
        letters = 0
        for block in blocks:
            if block.kind == "paragraph" and counted:
                number += 1
                block.number = number
            elif block.kind == "heading" and counted and block.level == BODY_HEADING_MIN_LEVEL:
                letters += 1
                block.label = chr(ord("A") + (letters - 1) % 26)
        sections.append(Section(kind, data["title"], blocks))
    if numbered:
        for index, section in enumerate(s for s in sections if s.kind is not SectionKind.ENCLOSURE):
            section.label = roman(index + 1)
    letter = None
    if snapshot.get("letter"):
        data = snapshot["letter"]
        letter = Letter(sender=data["sender"], addressee=data["addressee"],
                        date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
                        body=substantive_blocks(parse_blocks(data["body"])), signature=data["signature"],
                        symbol=data.get("symbol", ""), organ=data.get("organ", ""),
                        language=data.get("language") or "English",
                        sender_function=data.get("sender_function", ""))
    return ReportDocument(title=snapshot["title"], subtitle=snapshot.get("subtitle", ""),
                          numbered=numbered, sections=sections, letter=letter, meta=meta or DocumentMeta())


def plain_excerpt(markdown: str, limit: int = 160) -> str:
    """The start of a Markdown text as plain words, for lists of sections."""
    # Only the start is parsed: a section may hold hundreds of sessions' notes.
    blocks = parse_blocks((markdown or "")[:limit * 3])
    text = " ".join(" ".join("".join(run.text for run in block.runs) for block in blocks).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- Markdown

def _block_markdown(block: Block) -> str:
    if block.kind == "heading":
        label = f"{block.label}. " if block.label else ""
        return f"{'#' * block.level} {label}{block.source}"
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


def symbol_block(letter: Letter) -> list[str]:
    """The lines of the symbol block: symbol, organ, distribution, date, original language."""
    lines = [letter.symbol, letter.organ, "Distr.: General"]
    if letter.date:
        lines.append(long_date(letter.date))
    lines.append(f"Original: {letter.language}")
    return [line for line in lines if line]


def section_heading(section: Section) -> str:
    return f"{section.label}. {section.title}" if section.label else section.title


def render_markdown(document: ReportDocument) -> str:
    parts: list[str] = []
    if document.letter:
        letter = document.letter
        parts.append("  \n".join(symbol_block(letter)))
        parts.append(f"**{letter.title}**")
        parts.append(_join_blocks(letter.body))
        if letter.signature_lines:
            first, *rest = letter.signature_lines
            parts.append("  \n".join([f"(*Signed*) {first}", *rest]))
        parts.append("---")
        parts.append(letter.annex_heading)
    parts.append(f"# {document.title}")
    if document.subtitle:
        parts.append("  \n".join(f"**{line}**" for line in document.subtitle.splitlines() if line))
    for section in document.sections:
        if section.on_own_page:
            parts.append("Enclosure")
        parts.append(f"## {section_heading(section)}")
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
            label = f"{escape(block.label)}. " if block.label else ""
            out.append(f"<h{level}>{label}{block.html}</h{level}>")
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
        out.append(f'<p class="letter-symbol-block">{_lines_html(chr(10).join(symbol_block(letter)))}</p>')
        out.append(f'<p class="letter-title"><strong>{escape(letter.title)}</strong></p>')
        out.append(render_blocks_html(letter.body))
        if letter.signature_lines:
            first, *rest = letter.signature_lines
            out.append(f'<p class="letter-signature">(<em>Signed</em>) '
                       f'{_lines_html(chr(10).join([first, *rest]))}</p>')
        out.append(f'</section>\n<p class="annex-label">{escape(letter.annex_heading)}</p>')
    out.append(f"<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        out.append(f'<p class="report-subtitle">{_lines_html(document.subtitle, strong=True)}</p>')
    for section in document.sections:
        page = " report-new-page" if section.on_own_page else ""
        out.append(f'<section class="report-section report-{section.kind.value}{page}">')
        if section.on_own_page:
            out.append('<p class="enclosure-label">Enclosure</p>')
        out.append(f"<h2>{escape(section_heading(section))}</h2>")
        out.append(render_blocks_html(section.blocks))
        out.append("</section>")
    return "\n".join(out)


def standalone_html(document: ReportDocument) -> str:
    """A whole HTML file, for the export command."""
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(document.title)}</title>\n</head>\n<body>\n<main>\n"
            f"{render_html(document)}\n</main>\n</body>\n</html>\n")
