"""Role checks for views. Admins pass every check.

`roles_required` (and `staff_required`, `writers_required`) also check the series: when the
URL names an event (`slug`) or a series (`series_slug`), the user must hold one of the roles
*in that series* (a SeriesGrant). So a new staff route under /events/<slug>/... is scoped by
using the decorator, and the authorization matrix checks it for an organizer of another series.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from eventmgr.auth.enums import Role
from eventmgr.extensions import db, login_manager

STAFF = (Role.ORGANIZER,)
WRITERS = (Role.ORGANIZER, Role.RAPPORTEUR)
# The URL values that name what a route works on, and how to find its series.
SERIES_URL_VALUES = ("slug", "series_slug")


def series_of_request() -> int | None:
    """The id of the series the request's URL names (through an event's slug or a series'
    slug), or None when it names none (the directory, the series list) or nothing exists."""
    from eventmgr.series.models import Event, Series

    values = request.view_args or {}
    if "series_slug" in values:
        return db.session.scalar(select(Series.id).where(Series.slug == values["series_slug"]))
    if "slug" in values:
        return db.session.scalar(select(Event.series_id).where(Event.slug == values["slug"]))
    return None


def roles_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; signed-in users without one of the roles get
    403, in the series the URL names when it names one."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            series_id = series_of_request()
            if series_id is not None and not current_user.may(series_id, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(view: Callable) -> Callable:
    """Any signed-in user; finer checks (e.g. registered at this event) live in the view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


staff_required = roles_required(*STAFF)
writers_required = roles_required(*WRITERS)


def manages(event_or_series_id) -> bool:
    """Whether the signed-in user organizes this event's series (or this series, by id)."""
    series_id = getattr(event_or_series_id, "series_id", event_or_series_id)
    return current_user.is_authenticated and current_user.manages(series_id)


def writes(event) -> bool:
    """Whether the signed-in user holds rapporteur's rights in this event's series."""
    return current_user.is_authenticated and current_user.writes(event.series_id)
