"""A document as a download: the DOCX as built, or the PDF converted from it."""

from __future__ import annotations

from flask import Response, abort

from eventmgr.documents import pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("docx", "pdf")


def document_response(docx: bytes, fmt: str, stem: str) -> Response:
    """`stem.docx` or `stem.pdf` as an attachment; 503 with the reason when no PDF can be made."""
    if fmt not in FORMATS:
        abort(404)
    body = docx
    if fmt == "pdf":
        try:
            body = pdf.docx_to_pdf(docx)
        except pdf.PdfUnavailable as error:
            abort(503, description=error.message)
    return Response(body, mimetype=pdf.PDF_TYPE if fmt == "pdf" else DOCX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
