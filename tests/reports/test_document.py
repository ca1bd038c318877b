"""Rendering a report snapshot: numbering through the whole report, Markdown, safe HTML."""

from eventmgr.reports.document import (
    build_document,
    content_issues,
    plain_excerpt,
    render_html,
    render_markdown,
)

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
        "## I. Summary\n\n1\\. First.\n\n2\\. Second with **bold**.\n\n"
        "## II. Key findings\n\n- one\n- two\n  - nested\n\n"
        "## III. Highlights\n\n### A. Panel 1\n\n3\\. Third.\n\n### B. Panel 2\n\n4\\. Fourth.\n\n"
        "Enclosure\n\n## List of participants\n\n**States:** Germany.\n\n**Companies:** AREVA (France).\n")


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


def test_letter_comes_first_in_un_form():
    letter = {"sender": "the Permanent Mission of Germany to the United Nations",
              "sender_function": "the Chargé d'affaires a.i.",
              "addressee": "The President of the Security Council", "organ": "Security Council",
              "symbol": "S/2014/950", "date": "2014-12-23", "body": "Please circulate the annex.",
              "signature": "Heiko Thoms\nAmbassador\nChargé d'affaires a.i."}

    markdown = render_markdown(build_document(_snapshot(numbered=True, letter=letter)))

    title = ("Letter dated 23 December 2014 from the Chargé d'affaires a.i. of the Permanent Mission of "
             "Germany to the United Nations addressed to the President of the Security Council")
    assert markdown.startswith(
        "S/2014/950  \nSecurity Council  \nDistr.: General  \n23 December 2014  \nOriginal: English\n\n"
        f"**{title}**\n\nPlease circulate the annex.\n\n"
        "(*Signed*) Heiko Thoms  \nAmbassador  \nChargé d'affaires a.i.\n\n---\n\n"
        f"Annex to the l{title[1:]}\n\n# Summary report")
    assert "1\\. First." in markdown


def test_a_letter_saved_before_the_symbol_block_existed_still_renders():
    letter = {"sender": "Permanent Mission of Germany", "addressee": "the President", "date": None,
              "body": "Text.", "signature": ""}

    document = build_document(_snapshot(numbered=False, letter=letter))

    assert document.letter.title == "Letter from Permanent Mission of Germany addressed to the President"
    assert document.letter.language == "English"


def test_empty_sections_headings_and_placeholders_are_left_out():
    snapshot = _snapshot(numbered=True)
    snapshot["sections"] = [
        {"kind": "key_findings", "title": "Key findings", "body": "No key findings have been recorded yet."},
        {"kind": "highlights", "title": "Highlights",
         "body": "### Workshop\n\n### Panel\n\nSpoken.\n\n[Add the afternoon here]"},
        {"kind": "next_steps", "title": "Next steps", "body": "No recommendations have been recorded yet."},
        {"kind": "conclusion", "title": "Conclusion", "body": "   "},
    ]

    document = build_document(snapshot)

    assert [(s.label, s.title) for s in document.sections] == [("I", "Highlights")]
    assert [(b.kind, b.text, b.number, b.label) for b in document.sections[0].blocks] == [
        ("heading", "Panel", None, "A"), ("paragraph", "Spoken.", 1, None)]
    assert content_issues(snapshot["sections"][1]["body"]) == [
        "Placeholder, never exported: “[Add the afternoon here]”",
        "Heading with nothing under it, left out: “Workshop”"]
    assert content_issues("No recommendations have been recorded yet.") == [
        "Nothing recorded: the section is left out of the exports."]


def test_plain_excerpt_drops_markup_and_cuts_at_a_word():
    markdown = "### Panel\n\nSpeakers **agreed**.\n\n- one\n- two"
    assert plain_excerpt(markdown) == "Panel Speakers agreed. one two"
    assert plain_excerpt("word " * 50, limit=22) == "word word word word…"
