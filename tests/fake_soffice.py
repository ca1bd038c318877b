#!/usr/bin/env python3
"""A stand-in for `soffice --convert-to pdf` in tests that do not look at the PDF's pages.

Called with LibreOffice's arguments, it writes for each DOCX a one-page PDF naming it into
--outdir, so the suite exercises the real subprocess path without LibreOffice's seconds.
Tests marked `pdf` use the real LibreOffice.
"""

import sys
from pathlib import Path


def minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main(args: list[str]) -> None:
    outdir = Path(args[args.index("--outdir") + 1])
    outdir.mkdir(parents=True, exist_ok=True)
    for source in (Path(a) for a in args if a.endswith(".docx")):
        (outdir / f"{source.stem}.pdf").write_bytes(minimal_pdf(f"Test PDF of {source.stem[:12]}"))


if __name__ == "__main__":
    main(sys.argv[1:])
