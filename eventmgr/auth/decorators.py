"""Role checks for views. Admins pass every check."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from eventmgr.auth.enums import Role
from eventmgr.extensions import login_manager

STAFF = (Role.ORGANIZER,)


def roles_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; signed-in users without a role get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(view: Callable) -> Callable:
    """Any signed-in user; finer checks (e.g. registered at this event) live in the view."""
    return roles_required(*Role)(view)


staff_required = roles_required(*STAFF)
