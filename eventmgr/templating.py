"""Jinja filters and globals: times in the event's zone, country names, workspace tabs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from eventmgr.agenda.people import holder_name, holder_text, in_role_order
from eventmgr.agenda.timing import time_span
from eventmgr.auth.decorators import manages, writes
from eventmgr.auth.enums import Role
from eventmgr.countries import country_name
from eventmgr.defuse import defuse_links
from eventmgr.documents import pdf
from eventmgr.links import external_url
from eventmgr.registry.enums import NameStyle

# The event workspace tabs (DESIGN §9): label, endpoint, and whether rapporteurs may
# open it too (the rest are for organizers). A tab shows once its blueprint exists.
WORKSPACE_TABS = (
    ("Overview", "series.event_overview", False),
    ("Agenda", "agenda.editor", False),
    ("Invitations", "invitations.dashboard", False),
    ("Registrations", "registry.registrations", False),
    ("Lists", "registry.lists", False),
    ("Report", "reports.workspace", True),
    ("Letters", "letters.index", False),
    ("Mail", "mail.outbox", False),
)


# Main navigation: label, endpoint, who sees it ("all", "staff" or "admin").
MAIN_NAV = (
    ("Events", "series.home", "all"),
    ("Series", "series.series_list", "staff"),
    ("Organizations", "registry.organizations", "staff"),
    ("People", "registry.people", "staff"),
    ("Mail", "mail.all_messages", "staff"),
    ("Users", "auth.users", "admin"),
)


def bdi(value: str | None) -> Markup:
    """A person's or organization's name isolated from the text around it (HTML <bdi>):
    a right-to-left name, or one holding direction controls, never reorders its
    neighbours. Every such name in a page goes through this filter."""
    if not value:
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def local_time(value: dt.datetime | None, zone: str, fmt: str = "%H:%M") -> str:
    """Format an aware UTC datetime in an IANA zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def zone_label(zone: str, on: dt.datetime | dt.date | None = None) -> str:
    """'Europe/Berlin (CEST, UTC+02:00)' for the zone at a given moment (default: now)."""
    if isinstance(on, dt.date) and not isinstance(on, dt.datetime):
        on = dt.datetime.combine(on, dt.time(12), ZoneInfo(zone))
    moment = (on or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(zone))
    offset = moment.strftime("%z")
    return f"{zone} ({moment.tzname()}, UTC{offset[:3]}:{offset[3:]})"


def date_range(start: dt.date, end: dt.date) -> str:
    """'16–17 June 2014', '30 June – 1 July 2014' or '1 June 2012'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def long_date(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def ago(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """'just now', '3 min ago', '2 h ago', '5 days ago'."""
    seconds = ((now or dt.datetime.now(dt.UTC)) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{counted(int(seconds // 86400), 'day')} ago"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """'1 invitation', '3 invitations'."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def person_name(person, style: str = NameStyle.AS_WRITTEN) -> str:
    """A person's name in their own order; style "un_list" puts the family name in capitals."""
    return person.name_in(NameStyle(style))


def session_times(session, zone: str) -> str:
    """'09:00–10:30', '19:30' (open end) or '' (time to be confirmed) in the event's zone."""
    return time_span(session, ZoneInfo(zone))


def session_when(session, zone: str, short: bool = False) -> str:
    """'Thursday 20 November, 09:00–10:30' ('20 Nov, …' short), '…, time to be confirmed',
    or 'Date to be confirmed' for an item with only its place in the order."""
    if session.day is None:
        return "Date to be confirmed"
    day = f"{session.day:%-d %b}" if short else f"{session.day:%A %-d %B}"
    return f"{day}, {time_span(session, ZoneInfo(zone)) or 'time to be confirmed'}"


def workspace_tabs(event) -> list[dict]:
    """The tabs the signed-in user may open; a tab is active on the pages of its blueprint
    too (e.g. the session form under Agenda), unless that blueprint has several tabs."""
    endpoints = current_app.view_functions
    organizes = manages(event)
    rapporteur = writes(event)
    blueprints = [endpoint.split(".")[0] for _, endpoint, _ in WORKSPACE_TABS]

    def active(endpoint: str) -> bool:
        blueprint = endpoint.split(".")[0]
        return request.endpoint == endpoint or (
            request.blueprint == blueprint and blueprints.count(blueprint) == 1)

    return [
        {"label": label, "url": url_for(endpoint, slug=event.slug), "active": active(endpoint)}
        for label, endpoint, for_rapporteurs in WORKSPACE_TABS
        if endpoint in endpoints and (organizes or (for_rapporteurs and rapporteur))
    ]


def main_nav_links() -> list[dict]:
    def visible(audience: str) -> bool:
        if audience == "all":
            return True
        if not current_user.is_authenticated:
            return False
        return current_user.is_staff if audience == "staff" else current_user.role is Role.ADMIN

    endpoints = current_app.view_functions
    return [
        {"label": label, "url": url_for(endpoint), "active": request.endpoint == endpoint}
        for label, endpoint, audience in MAIN_NAV
        if endpoint in endpoints and visible(audience)
    ]


def url_for_page(page: int) -> str:
    """The current URL with another ?page=, keeping the filters."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def url_for_cursor(direction: str | None, row_id: int | None) -> str:
    """The current URL with a keyset cursor (eventmgr/keyset.py) in place of any other, keeping
    the filters; without a direction, the first page."""
    args = {key: value for key, value in request.args.to_dict().items()
            if key not in ("after", "before", "page")}
    if direction is not None:
        args[direction] = str(row_id)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(bdi)
    app.add_template_filter(local_time)
    app.add_template_filter(zone_label)
    app.add_template_filter(country_name)
    app.add_template_filter(date_range)
    app.add_template_filter(long_date)
    app.add_template_filter(counted)
    app.add_template_filter(holder_name)
    app.add_template_filter(holder_text)
    app.add_template_filter(in_role_order)
    app.add_template_filter(person_name)
    app.add_template_filter(session_times)
    app.add_template_filter(session_when)
    app.add_template_filter(ago)
    # Free text in mails (names, organizations, needs): plain text, never a link (eventmgr/defuse.py).
    app.add_template_filter(defuse_links, "nolinks")
    app.add_template_global(external_url)
    app.add_template_global(workspace_tabs)
    app.add_template_global(url_for_page)
    app.add_template_global(url_for_cursor)
    app.add_template_global(main_nav_links)
    app.add_template_global(pdf.is_available, "pdf_available")
    # Per-series rights in templates: {% if manages(event) %}, {% if writes(event) %}.
    app.add_template_global(manages)
    app.add_template_global(writes)
