"""Rendering a report snapshot: numbering through the whole report, Markdown, safe HTML."""

from eventmgr.reports.document import build_document, plain_excerpt, render_html, render_markdown

SCRIPT = 'Before <script>alert("x")</script> after <img src=x onerror=alert(1)> [link](javascript:alert(1))'


def _snapshot(*, numbered: bool, letter: dict | None = None) -> dict:
    return {"title": "Summary report", "subtitle": "Wiesbaden\n23-25 April 2012", "numbered": numbered,
            "status": "draft", "letter": letter, "sections": [
                {"kind": "background", "title": "Summary", "body": "First.\n\nSecond with **bold**."},
                {"kind": "key_findings", "title": "Key findings", "body": "- one\n- two\n  - nested"},
                {"kind": "highlights", "title": "Highlights",
                 "body": "# Panel 1\n\nThird.\n\n### Panel 2\n\nFourth."},
                {"kind": "enclosure", "title": "List of participants",
                 "body": "**States:** Germany.\n\n**Companies:** AREVA (France)."}]}


def test_numbering_runs_through_the_whole_report_and_skips_lists_headings_and_enclosure():
    markdown = render_markdown(build_document(_snapshot(numbered=True)))

    assert markdown == (
        "# Summary report\n\n**Wiesbaden**  \n**23-25 April 2012**\n\n"
        "## Summary\n\n1\\. First.\n\n2\\. Second with **bold**.\n\n"
        "## Key findings\n\n- one\n- two\n  - nested\n\n"
        "## Highlights\n\n### Panel 1\n\n3\\. Third.\n\n### Panel 2\n\n4\\. Fourth.\n\n"
        "## List of participants\n\n**States:** Germany.\n\n**Companies:** AREVA (France).\n")


def test_without_numbering_paragraphs_are_plain():
    document = build_document(_snapshot(numbered=False))

    assert [b.number for s in document.sections for b in s.blocks] == [None] * 11
    assert "1\\." not in render_markdown(document)
    assert 'class="numbered"' not in render_html(document)


def test_numbered_html():
    html = render_html(build_document(_snapshot(numbered=True)))

    assert ('<p class="numbered"><span class="paragraph-number">2.</span>Second with '
            "<strong>bold</strong>.</p>") in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n<ul>\n<li>nested</li>\n</ul>\n</ul>" in html
    assert '<section class="report-section report-enclosure report-new-page">' in html


def test_script_in_markdown_is_inert_text_in_html():
    snapshot = _snapshot(numbered=False)
    snapshot["sections"][0]["body"] = SCRIPT
    snapshot["title"] = "<b>Title</b>"

    html = render_html(build_document(snapshot))

    assert "<script" not in html
    assert "<img" not in html
    assert "href=\"javascript" not in html
    assert "Before &lt;script&gt;alert(\"x\")&lt;/script&gt; after" in html
    assert "<h1>&lt;b&gt;Title&lt;/b&gt;</h1>" in html


def test_letter_comes_first():
    letter = {"sender": "Permanent Mission of Germany", "addressee": "The President\nof the Council",
              "date": "2014-12-23", "body": "Please circulate the annex.",
              "signature": "Heiko Thoms\nAmbassador"}

    markdown = render_markdown(build_document(_snapshot(numbered=True, letter=letter)))

    assert markdown.startswith(
        "Permanent Mission of Germany\n\n23 December 2014\n\n**The President**  \n**of the Council**\n\n"
        "Please circulate the annex.\n\nHeiko Thoms  \nAmbassador\n\n---\n\nAnnex\n\n# Summary report")
    assert "1\\. First." in markdown


def test_plain_excerpt_drops_markup_and_cuts_at_a_word():
    markdown = "### Panel\n\nSpeakers **agreed**.\n\n- one\n- two"
    assert plain_excerpt(markdown) == "Panel Speakers agreed. one two"
    assert plain_excerpt("word " * 50, limit=22) == "word word word word…"
