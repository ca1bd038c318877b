"""Domain errors raised by services, and the HTTP error pages."""

from flask import Flask, render_template
from sqlalchemy.exc import DataError, OperationalError
from werkzeug import exceptions as http

from eventmgr.extensions import db


class DomainError(Exception):
    """A rule of the domain refused the request; the message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class ValidationFailed(DomainError):
    """Several field errors at once: ``errors`` maps field name to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))
        self.errors = errors


def register_error_handlers(app: Flask) -> None:
    def render_error(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(http.SecurityError)
    def untrusted_host(error):
        # The Host is not ours (TRUSTED_HOSTS): no page of ours, whose links would need routing, is built.
        return ("This site is not served under that host name.", 400,
                {"Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(400)
    def bad_request(error):
        return render_error(400, "Bad request", getattr(error, "description", "") or
                            "The request could not be understood.")

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, "Not allowed", "You do not have access to this page.")

    @app.errorhandler(404)
    def not_found(error):
        # A view may explain its 404 (abort(404, description=...)); werkzeug's own text is generic.
        described = getattr(error, "description", None) not in (None, http.NotFound.description)
        return render_error(404, "Not found", error.description if described else
                            "There is nothing at this address.")

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_error(405, "Method not allowed", "This address does not accept that request.")

    @app.errorhandler(413)
    def too_large(error):
        return render_error(413, "Too large", "The upload is larger than this site accepts.")

    @app.errorhandler(429)
    def too_many(error):
        return render_error(429, "Too many attempts", "Too many attempts. Wait a minute and try again.")

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def value_out_of_range(error):
        # A number beyond the database's integer range (an id in the address, a form field
        # without a maximum): SQLite's driver raises OverflowError, PostgreSQL's a DataError.
        db.session.rollback()
        return render_error(400, "Bad request", "A number in the request is too large.")

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # A locked or unreachable database: say so plainly and leave the session usable.
        db.session.rollback()
        app.logger.error("database unavailable: %s", error)
        return render_error(503, "Service unavailable",
                            "The database is busy or unreachable. Please try again in a moment.")

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        return render_error(500, "Something went wrong", "The error was logged. Please try again.")
