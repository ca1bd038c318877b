"""`flask documents`, `flask letters` and the enclosure command write DOCX and PDF files."""

from eventmgr.demo import load_demo
from eventmgr.extensions import db
from eventmgr.mail.models import Message
from tests.documents.readback import assert_un_document, read


def test_every_document_from_the_command_line(app, runner, tmp_path):
    with app.app_context():
        load_demo()
        db.session.commit()
    commands = {
        "programme.docx": ["documents", "programme", "frankfurt-2014", "--format", "docx"],
        "badges.pdf": ["documents", "badges", "frankfurt-2014", "--format", "pdf"],
        "visa.pdf": ["letters", "export", "frankfurt-2014", "visa", "--format", "pdf"],
        "certificate.docx": ["letters", "export", "frankfurt-2014", "certificate"],
        "enclosure.pdf": ["participants", "enclosure", "frankfurt-2014", "--format", "pdf"],
    }
    for name, args in commands.items():
        result = runner.invoke(args=[*args, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, (name, result.output)

    assert_un_document(read((tmp_path / "programme.docx").read_bytes()))
    assert len(read((tmp_path / "certificate.docx").read_bytes()).tables) == 0
    for name in ("badges.pdf", "visa.pdf", "enclosure.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF"), name

    mailed = runner.invoke(args=["letters", "mail", "frankfurt-2014", "visa"])
    assert (mailed.exit_code, mailed.output) == (0, "Queued 7 visa-support letters.\n")
    with app.app_context():
        assert db.session.query(Message).filter_by(kind="visa-letter").count() == 7

    missing = runner.invoke(args=["documents", "programme", "no-such-event", "-o", str(tmp_path / "x.docx")])
    assert missing.exit_code == 1 and "no-such-event" in missing.output
