"""Security headers sent with every response."""

from flask import Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def apply_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def reject_nul_characters() -> None:
    """Refuse form fields and query values holding NUL: it is not text, and PostgreSQL
    rejects it deep in the driver, which would surface as a server error."""
    for values in (request.args, request.form):
        if any("\x00" in value for _, value_list in values.lists() for value in value_list):
            abort(400, description="The request holds a NUL character (\\0), which is not text. "
                                   "Remove it and try again.")
