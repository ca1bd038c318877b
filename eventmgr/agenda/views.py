"""The organizer's agenda editor, the public agenda page and its exports."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from eventmgr.agenda import docx as agenda_docx
from eventmgr.agenda import frab, ics, queries, service
from eventmgr.agenda.enums import SessionKind
from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.forms import CopyAgendaForm, RoomForm
from eventmgr.agenda.models import AgendaSession, Room
from eventmgr.auth.decorators import login_required, manages, staff_required
from eventmgr.documents import pdf
from eventmgr.documents.download import DOCX_TYPE
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.redirects import next_url
from eventmgr.series import queries as series_queries
from eventmgr.series.models import Event
from eventmgr.templating import counted, zone_label

bp = Blueprint("agenda", __name__)


def event_or_404(slug: str, *, staff: bool = False) -> Event:
    event = series_queries.event_with_details(slug)
    if event is None or (not manages(event) and (staff or not event.is_public)):
        abort(404)
    return event


def session_or_404(event: Event, session_id: int) -> AgendaSession:
    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def zone_text(event: Event) -> str:
    return zone_label(event.timezone, event.start_date)


# The editor

@bp.route("/events/<slug>/agenda/manage")
@staff_required
def editor(slug: str):
    """Rooms, sessions, publication and the change log of an event's agenda."""
    event = event_or_404(slug, staff=True)
    copy_form = CopyAgendaForm()
    copy_form.source_event_id.choices = [(str(e.id), e.title) for e in queries.earlier_events(event)]
    sessions = queries.all_sessions(event)
    return render_template(
        "agenda/editor.html", event=event, sessions=sessions, rooms=queries.rooms(event),
        state=queries.state(event), changes=queries.changes(event), room_form=RoomForm(),
        copy_form=copy_form, zone=zone_text(event),
        untimed=sum(1 for s in sessions if s.starts_at is None and not s.is_cancelled),
    )


def back_to_editor(event: Event, anchor: str | None = None):
    return redirect(url_for("agenda.editor", slug=event.slug, _anchor=anchor))


def run_action(event: Event, action: Callable[[], object], success: str, *, back=None):
    """Apply a one-button change: commit and say so, or roll back and show why not."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return back if back is not None else back_to_editor(event)


@bp.route("/events/<slug>/agenda/rooms", methods=["POST"])
@staff_required
def add_room(slug: str):
    event = event_or_404(slug, staff=True)
    form = RoomForm()
    if not form.validate_on_submit():
        flash("Enter the room's name.", "error")
        return back_to_editor(event)
    return run_action(event, lambda: service.add_room(event, form.name.data, current_user), "Room added.")


@bp.route("/events/<slug>/agenda/rooms/<int:room_id>", methods=["POST"])
@staff_required
def rename_room(slug: str, room_id: int):
    event = event_or_404(slug, staff=True)
    room = db.get_or_404(Room, room_id)
    form = RoomForm()
    if room.event_id != event.id:
        abort(404)
    if not form.validate_on_submit():
        flash("Enter the room's name.", "error")
        return back_to_editor(event)
    return run_action(event, lambda: service.rename_room(room, form.name.data, current_user), "Room renamed.")


@bp.route("/events/<slug>/agenda/rooms/<int:room_id>/delete", methods=["POST"])
@staff_required
def delete_room(slug: str, room_id: int):
    event = event_or_404(slug, staff=True)
    room = db.get_or_404(Room, room_id)
    if room.event_id != event.id:
        abort(404)
    return run_action(event, lambda: service.delete_room(room, current_user), "Room deleted.")


@bp.route("/events/<slug>/agenda/publish", methods=["POST"])
@staff_required
def publish(slug: str):
    """Publish the agenda, saying when the public will see it and what has no time yet."""
    event = event_or_404(slug, staff=True)
    try:
        service.publish_agenda(event, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back_to_editor(event)
    untimed = service.untimed_count(event)
    db.session.commit()
    flash("Agenda published." if event.is_public else
          "Agenda published — visible to the public once the event is published.", "success")
    if untimed:
        flash(f"{counted(untimed, 'item')} {'has' if untimed == 1 else 'have'} no time yet: "
              "shown as “time to be confirmed” on the agenda page and in the Word programme, "
              "and left out of calendars (.ics) and schedule files until a time is set.", "warning")
    return back_to_editor(event)


@bp.route("/events/<slug>/agenda/copy", methods=["POST"])
@staff_required
def copy_agenda(slug: str):
    event = event_or_404(slug, staff=True)
    form = CopyAgendaForm()
    form.source_event_id.choices = [(str(e.id), e.title) for e in queries.earlier_events(event)]
    if not form.validate_on_submit():
        flash("Choose an earlier event of the series.", "error")
        return back_to_editor(event)
    source = db.session.get(Event, int(form.source_event_id.data))
    return run_action(event, lambda: service.copy_agenda(source, event, current_user),
                      f"Agenda copied from {source.title}; dates shifted.")


# The public page

@dataclass
class Slot:
    """A session with its break-out groups, shown side by side."""

    session: AgendaSession
    children: list[AgendaSession] = field(default_factory=list)


def _agenda_days(sessions: list[AgendaSession]) -> list[tuple[dt.date | None, list[Slot]]]:
    """Slots by day in programme order (the sessions come so); undated items last."""
    slots: dict[int, Slot] = {}
    days: dict[dt.date | None, list[Slot]] = {}
    for session in sessions:
        if session.parent_id in slots:
            slots[session.parent_id].children.append(session)
            continue
        slots[session.id] = Slot(session)
        days.setdefault(session.day, []).append(slots[session.id])
    return list(days.items())


@dataclass(frozen=True)
class AgendaBody:
    """The filter choices and the rendered days of the public agenda page."""

    days: list[dt.date]
    rooms: list[str]
    html: Markup
    # Items with no time yet: on the page, not in the calendar and schedule files.
    untimed: int


def _agenda_body(event: Event, state, sessions: list[AgendaSession], filters: dict[str, str], *,
                 preview: bool, personal_ids: set[int]) -> AgendaBody:
    shown = [s for s in sessions
             if (not filters["day"] or (s.day.isoformat() if s.day else "") == filters["day"])
             and (not filters["room"] or (s.room and s.room.name == filters["room"]))
             and (not filters["kind"] or s.kind.value == filters["kind"])]
    html = render_template("agenda/_days.html", event=event, state=state, preview=preview,
                           personal_ids=personal_ids, agenda_days=_agenda_days(shown))
    return AgendaBody(days=sorted({s.day for s in sessions if s.day}),
                      rooms=sorted({s.room.name for s in sessions if s.room}), html=Markup(html),
                      untimed=sum(1 for s in sessions if s.starts_at is None and not s.is_cancelled))


@bp.route("/events/<slug>/agenda")
def public(slug: str):
    """The published agenda by day, filtered by day, room and kind."""
    event = event_or_404(slug)
    state = queries.state(event)
    preview = manages(event) and not (state and state.is_published)
    # Cut short: the filters key the shared cache, and no day, room or kind name is longer.
    filters = {key: request.args.get(key, "")[:200] for key in ("day", "room", "kind")}
    personal_ids, feed_token = set(), None
    if current_user.is_authenticated:
        personal_ids = queries.personal_session_ids(current_user.id, event)
        if queries.has_personal_feed(current_user.id):
            feed_token = service.personal_feed_token(current_user, current_app.config["SECRET_KEY"])
    if state and state.is_published and not current_user.is_authenticated:
        # Every anonymous reader sees the same published agenda: build it once per revision and filter.
        body = _cached((_revision(event, state), "page", *filters.values()),
                       lambda: _agenda_body(event, state, queries.public_sessions(event), filters,
                                            preview=False, personal_ids=set()))
    else:
        sessions = queries.all_sessions(event) if preview else queries.public_sessions(event)
        body = _agenda_body(event, state, sessions, filters, preview=preview, personal_ids=personal_ids)
    return render_template(
        "agenda/public.html", event=event, state=state, preview=preview, body=body, days=body.days,
        rooms=body.rooms, feed_token=feed_token, kinds=list(SessionKind), filters=filters,
        zone=zone_text(event),
    )


# Exports: only published content; cached per agenda version; ETag checked before any build.

_EXPORT_CACHE_SIZE = 64
_cache_lock = threading.Lock()
Built = TypeVar("Built")


# What the exports and the page show of the event itself: editing any of it makes a new revision.
_EVENT_DETAILS = ("slug", "title", "theme", "timezone", "venue_name", "venue_city", "start_date", "end_date")


def _revision(event: Event, state) -> str:
    """Names one state of the published agenda: its version, and the event details shown with it.

    The revision time joins the version so a recreated database never matches an old entry.
    """
    details = hashlib.blake2b(repr([getattr(event, name) for name in _EVENT_DETAILS]).encode(),
                              digest_size=6).hexdigest()
    return f"{event.id}-{state.version}-{state.updated_at.timestamp():.0f}-{details}"


def _cached(key: tuple, build: Callable[[], Built]) -> Built:
    """A small in-process LRU (per app) of built exports and page bodies, keyed by the agenda's
    revision and what was built."""
    cache: OrderedDict[tuple, object] = current_app.extensions.setdefault("agenda_exports", OrderedDict())
    with _cache_lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    body = build()
    with _cache_lock:
        cache[key] = body
        while len(cache) > _EXPORT_CACHE_SIZE:
            cache.popitem(last=False)
    return body


def _published_event(slug: str) -> tuple[Event, object]:
    event = event_or_404(slug)
    state = queries.state(event)
    if state is None or not state.is_published:
        abort(404)
    return event, state


def _meta(event: Event, state, feed_endpoint: str, **feed_values) -> ExportMeta:
    return ExportMeta(
        namespace=current_app.config["EVENTMGR_UID_NAMESPACE"], updated_at=state.updated_at,
        version=state.version, agenda_url=url_for("agenda.public", slug=event.slug, _external=True),
        feed_url=url_for(feed_endpoint, _external=True, **feed_values),
        session_url=lambda session_id: url_for("agenda.public", slug=event.slug, _external=True,
                                               _anchor=f"session-{session_id}"),
        calendar_name=event.title,
    )


def _export(event: Event, state, fmt: str, mimetype: str, build: Callable[[], bytes], *,
            filename: str, disposition: str = "inline") -> Response:
    revision = _revision(event, state)
    etag = f"agenda-{revision}-{fmt}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        body = _cached((revision, fmt), build)
        response = Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(etag)
    response.last_modified = state.updated_at
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@bp.route("/events/<slug>/agenda.ics")
def event_ics(slug: str):
    event, state = _published_event(slug)
    meta = _meta(event, state, "agenda.event_ics", slug=event.slug)
    return _export(event, state, "ics", "text/calendar",
                   lambda: ics.agenda_calendar(queries.public_sessions(event), meta,
                                               description=f"Agenda of {event.title}"),
                   filename=f"{event.slug}.ics")


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session_ics(slug: str, session_id: int):
    event, state = _published_event(slug)
    sessions = [s for s in queries.public_sessions(event) if s.id == session_id]
    if not sessions:
        abort(404)
    if sessions[0].starts_at is None:
        abort(404, description="This item has no time yet, so it cannot go in a calendar.")
    meta = _meta(event, state, "agenda.session_ics", slug=event.slug, session_id=session_id)
    return _export(event, state, f"ics-{session_id}", "text/calendar",
                   lambda: ics.agenda_calendar(sessions, meta, description=f"Agenda of {event.title}"),
                   filename=f"{event.slug}-{session_id}.ics")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug: str):
    event, state = _published_event(slug)
    meta = _meta(event, state, "agenda.schedule_xml", slug=event.slug)
    return _export(event, state, "xml", "application/xml",
                   lambda: frab.schedule_xml(event, queries.public_sessions(event), meta),
                   filename=f"{event.slug}-schedule.xml")


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug: str):
    event, state = _published_event(slug)
    meta = _meta(event, state, "agenda.schedule_json", slug=event.slug)
    return _export(event, state, "json", "application/json",
                   lambda: frab.schedule_json(event, queries.public_sessions(event), meta),
                   filename=f"{event.slug}-schedule.json")


@bp.route("/api/v1/events/<slug>/agenda")
def api_agenda(slug: str):
    event, state = _published_event(slug)
    meta = _meta(event, state, "agenda.api_agenda", slug=event.slug)
    return _export(event, state, "api", "application/json",
                   lambda: frab.schedule_json(event, queries.public_sessions(event), meta),
                   filename=f"{event.slug}-agenda.json")


def _programme_docx(event: Event) -> bytes:
    return agenda_docx.agenda_docx(event, queries.public_sessions(event), zone_label=zone_text(event),
                                   venue=event.place)


@bp.route("/events/<slug>/agenda.docx")
def docx_export(slug: str):
    """The programme in conference form (A4, one table per day)."""
    event, state = _published_event(slug)
    return _export(event, state, "docx", DOCX_TYPE, lambda: _programme_docx(event),
                   filename=f"{event.slug}-agenda.docx", disposition="attachment")


@bp.route("/events/<slug>/agenda.pdf")
def pdf_export(slug: str):
    """The programme as PDF, converted from the same DOCX."""
    event, state = _published_event(slug)

    def build() -> bytes:
        try:
            return pdf.docx_to_pdf(_cached((_revision(event, state), "docx"), lambda: _programme_docx(event)))
        except pdf.PdfUnavailable as error:
            abort(503, description=error.message)

    return _export(event, state, "pdf", pdf.PDF_TYPE, build, filename=f"{event.slug}-agenda.pdf",
                   disposition="attachment")


# The personal agenda and its secret feed

@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/personal", methods=["POST"])
@login_required
def personal_add(slug: str, session_id: int):
    """Put a published session in the signed-in user's personal agenda."""
    event = event_or_404(slug)
    session = session_or_404(event, session_id)
    try:
        service.add_to_personal_agenda(current_user, session)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"“{session.title}” is in your agenda.", "success")
    return redirect(url_for("agenda.public", slug=event.slug, _anchor=f"session-{session.id}"))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/personal/delete", methods=["POST"])
@login_required
def personal_remove(slug: str, session_id: int):
    event = event_or_404(slug)
    session = session_or_404(event, session_id)
    service.remove_from_personal_agenda(current_user, session)
    db.session.commit()
    flash(f"“{session.title}” left your agenda.", "success")
    return redirect(url_for("agenda.public", slug=event.slug, _anchor=f"session-{session.id}"))


@bp.route("/agenda/feed/new", methods=["POST"])
@login_required
def new_feed_link():
    """Make the personal feed link, or replace it (the old one stops working)."""
    service.personal_feed_token(current_user, current_app.config["SECRET_KEY"], renew=True)
    db.session.commit()
    flash("Your personal calendar link is ready; any earlier link no longer works.", "success")
    return redirect(next_url(url_for("series.home")))


@bp.route("/agenda/feed/<token>.ics")
def personal_feed(token: str):
    """The sessions a user chose, at a secret, revocable address."""
    user_id = service.user_id_for_feed_token(token)
    if user_id is None:
        abort(404)
    sessions = queries.personal_sessions(user_id)
    slugs = {s.id: s.event.slug for s in sessions}
    meta = ExportMeta(
        namespace=current_app.config["EVENTMGR_UID_NAMESPACE"],
        updated_at=max((s.updated_at for s in sessions), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)),
        version=0, agenda_url=url_for("series.home", _external=True),
        feed_url=url_for("agenda.personal_feed", token=token, _external=True),
        session_url=lambda session_id: url_for("agenda.public", slug=slugs[session_id], _external=True,
                                               _anchor=f"session-{session_id}"),
        calendar_name="My agenda",
    )
    response = Response(ics.agenda_calendar(sessions, meta, description="Sessions I chose"),
                        mimetype="text/calendar")
    response.add_etag()
    response.headers["Cache-Control"] = "private, max-age=300"
    return response.make_conditional(request)


# The session editor, the timetable and the import add their routes to this blueprint.
from eventmgr.agenda import import_views, session_views, timetable_views  # noqa: E402, F401
