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
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.forms import CopyAgendaForm, RoomForm, SessionForm, SessionPersonForm
from eventmgr.agenda.models import AgendaSession, Room
from eventmgr.auth.decorators import login_required, manages, staff_required
from eventmgr.documents import pdf
from eventmgr.documents.download import DOCX_TYPE
from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.localtime import AmbiguousTime, LocalTimeError
from eventmgr.redirects import next_url
from eventmgr.registry import service as registry_service
from eventmgr.registry.models import Person
from eventmgr.series import queries as series_queries
from eventmgr.series.models import Event
from eventmgr.templating import zone_label

bp = Blueprint("agenda", __name__)


def _event(slug: str, *, staff: bool = False) -> Event:
    event = series_queries.event_with_details(slug)
    if event is None or (not manages(event) and (staff or not event.is_public)):
        abort(404)
    return event


def _session(event: Event, session_id: int) -> AgendaSession:
    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def _label(event: Event) -> str:
    return zone_label(event.timezone, event.start_date)


# The editor

def _session_form(event: Event, session: AgendaSession | None = None) -> SessionForm:
    rooms = [(str(room.id), room.name) for room in queries.rooms(event)]
    parents = [(str(s.id), f"{s.starts_at.astimezone(event.zone):%d %b %H:%M} {s.title}")
               for s in queries.all_sessions(event) if s.parent_id is None and s is not session]
    data = None
    if session is not None and request.method == "GET":
        data = {"kind": session.kind.value, "title": session.title, "description": session.description,
                "starts_at": session.starts_at.astimezone(event.zone).replace(tzinfo=None),
                "ends_at": session.ends_at.astimezone(event.zone).replace(tzinfo=None),
                "room_id": str(session.room_id or ""), "parent_id": str(session.parent_id or ""),
                "position": session.position}
    return SessionForm(data=data, zone_label=_label(event), room_choices=rooms, parent_choices=parents)


def _session_times(event: Event, form: SessionForm) -> dict:
    """Start and end in UTC; a time the clocks skip or pass twice is a field error, and for
    the latter the form offers the two offsets to choose from."""
    times, errors = {}, {}
    for name in ("starts_at", "ends_at"):
        offset_field = form[f"{name}_offset"]
        try:
            times[name] = service.local_to_utc(event, form[name].data, offset=offset_field.data or None)
        except AmbiguousTime as error:
            offset_field.offer(error.readings)
            errors[name] = [error.message]
        except LocalTimeError as error:
            errors[name] = [error.message]
    if errors:
        raise ValidationFailed(errors)
    return times


def _session_fields(event: Event, form: SessionForm) -> dict:
    return {
        "kind": SessionKind(form.kind.data), "title": form.title.data,
        "description": form.description.data or "",
        **_session_times(event, form),
        "room_id": int(form.room_id.data) if form.room_id.data else None,
        "parent_id": int(form.parent_id.data) if form.parent_id.data else None,
        "position": form.position.data or 0,
    }


@bp.route("/events/<slug>/agenda/manage")
@staff_required
def editor(slug: str):
    """Rooms, sessions, publication and the change log of an event's agenda."""
    event = _event(slug, staff=True)
    copy_form = CopyAgendaForm()
    copy_form.source_event_id.choices = [(str(e.id), e.title) for e in queries.earlier_events(event)]
    return render_template(
        "agenda/editor.html", event=event, sessions=queries.all_sessions(event), rooms=queries.rooms(event),
        state=queries.state(event), changes=queries.changes(event), room_form=RoomForm(),
        copy_form=copy_form, zone=_label(event),
    )


def _back(event: Event):
    return redirect(url_for("agenda.editor", slug=event.slug))


def _run(event: Event, action: Callable[[], object], success: str):
    """Apply a one-button change: commit and say so, or roll back and show why not."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return _back(event)


@bp.route("/events/<slug>/agenda/rooms", methods=["POST"])
@staff_required
def add_room(slug: str):
    event = _event(slug, staff=True)
    form = RoomForm()
    if not form.validate_on_submit():
        flash("Enter the room's name.", "error")
        return _back(event)
    return _run(event, lambda: service.add_room(event, form.name.data, current_user), "Room added.")


@bp.route("/events/<slug>/agenda/rooms/<int:room_id>", methods=["POST"])
@staff_required
def rename_room(slug: str, room_id: int):
    event = _event(slug, staff=True)
    room = db.get_or_404(Room, room_id)
    form = RoomForm()
    if room.event_id != event.id:
        abort(404)
    if not form.validate_on_submit():
        flash("Enter the room's name.", "error")
        return _back(event)
    return _run(event, lambda: service.rename_room(room, form.name.data, current_user), "Room renamed.")


@bp.route("/events/<slug>/agenda/rooms/<int:room_id>/delete", methods=["POST"])
@staff_required
def delete_room(slug: str, room_id: int):
    event = _event(slug, staff=True)
    room = db.get_or_404(Room, room_id)
    if room.event_id != event.id:
        abort(404)
    return _run(event, lambda: service.delete_room(room, current_user), "Room deleted.")


@bp.route("/events/<slug>/agenda/sessions/new", methods=["GET", "POST"])
@staff_required
def new_session(slug: str):
    event = _event(slug, staff=True)
    form = _session_form(event)
    if form.validate_on_submit():
        try:
            session = service.create_session(event, current_user, **_session_fields(event, form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Session added. Now add its people.", "success")
            return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id))
    return render_template("agenda/session_form.html", event=event, form=form, session=None,
                           zone=_label(event)), 400 if form.errors or form.form_errors else 200


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_session(slug: str, session_id: int):
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    form = _session_form(event, session)
    if form.validate_on_submit():
        try:
            service.update_session(session, current_user,
                                   accept_person_conflicts=form.accept_person_conflicts.data,
                                   **_session_fields(event, form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Session saved.", "success")
            return _back(event)
    return _render_session(event, session, form, _person_form())


def _person_form() -> SessionPersonForm:
    return SessionPersonForm(person_choices=queries.person_choices())


def _render_session(event, session, form, person_form):
    failed = bool(form.errors or form.form_errors or person_form.errors or person_form.form_errors)
    return render_template("agenda/session_form.html", event=event, form=form, session=session,
                           person_form=person_form, zone=_label(event)), 400 if failed else 200


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/people", methods=["POST"])
@staff_required
def add_person(slug: str, session_id: int):
    """Put a person from the directory, or one created on the spot, on a session."""
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    form = _person_form()
    if form.validate_on_submit():
        try:
            if form.person_id.data:
                person = db.session.get(Person, int(form.person_id.data))
            elif form.email.data:
                person = registry_service.find_or_create_person(
                    form.email.data, given_name=form.given_name.data or "",
                    family_name=form.family_name.data or "")
            else:
                raise DomainError("Choose a person from the directory or enter a new one's email.",
                                  field="person_id")
            service.add_person(session, person, SessionRoleKind(form.role.data), current_user,
                               accept_person_conflicts=form.accept_person_conflicts.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{person.full_name} added.", "success")
            return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id))
    return _render_session(event, session, _session_form(event, session), form)


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/people/<int:role_id>/delete", methods=["POST"])
@staff_required
def remove_person(slug: str, session_id: int, role_id: int):
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    try:
        service.remove_person(session, role_id, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Person removed.", "success")
    return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/move", methods=["POST"])
@staff_required
def move_session(slug: str, session_id: int):
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    step = -1 if request.form.get("direction") == "up" else 1
    return _run(event, lambda: service.move_session(session, step, current_user), "Session moved.")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/duplicate", methods=["POST"])
@staff_required
def duplicate_session(slug: str, session_id: int):
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    return _run(event, lambda: service.duplicate_session(session, current_user),
                "Session duplicated (without a room).")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel_session(slug: str, session_id: int):
    """Cancel a session, after saying whom the calendar cancellation goes to (GET asks)."""
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    if request.method == "GET":
        people = list({role.person.email_key: role.person for role in session.roles}.values())
        return render_template("agenda/cancel_session.html", event=event, session=session, people=people)
    return _run(event, lambda: service.cancel_session(session, current_user), "Session cancelled.")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/delete", methods=["POST"])
@staff_required
def delete_session(slug: str, session_id: int):
    event = _event(slug, staff=True)
    session = _session(event, session_id)
    return _run(event, lambda: service.delete_session(session, current_user), "Draft session deleted.")


@bp.route("/events/<slug>/agenda/publish", methods=["POST"])
@staff_required
def publish(slug: str):
    event = _event(slug, staff=True)
    return _run(event, lambda: service.publish_agenda(event, current_user), "Agenda published.")


@bp.route("/events/<slug>/agenda/copy", methods=["POST"])
@staff_required
def copy_agenda(slug: str):
    event = _event(slug, staff=True)
    form = CopyAgendaForm()
    form.source_event_id.choices = [(str(e.id), e.title) for e in queries.earlier_events(event)]
    if not form.validate_on_submit():
        flash("Choose an earlier event of the series.", "error")
        return _back(event)
    source = db.session.get(Event, int(form.source_event_id.data))
    return _run(event, lambda: service.copy_agenda(source, event, current_user),
                f"Agenda copied from {source.title}; dates shifted.")


# The public page

@dataclass
class Slot:
    """A session with its break-out groups, shown side by side."""

    session: AgendaSession
    children: list[AgendaSession] = field(default_factory=list)


def _agenda_days(sessions: list[AgendaSession], zone) -> list[tuple[dt.date, list[Slot]]]:
    slots: dict[int, Slot] = {}
    days: dict[dt.date, list[Slot]] = {}
    for session in sessions:
        if session.parent_id in slots:
            slots[session.parent_id].children.append(session)
            continue
        slots[session.id] = Slot(session)
        days.setdefault(session.starts_at.astimezone(zone).date(), []).append(slots[session.id])
    return sorted(days.items())


@dataclass(frozen=True)
class AgendaBody:
    """The filter choices and the rendered days of the public agenda page."""

    days: list[dt.date]
    rooms: list[str]
    html: Markup


def _agenda_body(event: Event, state, sessions: list[AgendaSession], filters: dict[str, str], *,
                 preview: bool, personal_ids: set[int]) -> AgendaBody:
    zone = event.zone
    shown = [s for s in sessions
             if (not filters["day"] or s.starts_at.astimezone(zone).date().isoformat() == filters["day"])
             and (not filters["room"] or (s.room and s.room.name == filters["room"]))
             and (not filters["kind"] or s.kind.value == filters["kind"])]
    html = render_template("agenda/_days.html", event=event, state=state, preview=preview,
                           personal_ids=personal_ids, agenda_days=_agenda_days(shown, zone))
    return AgendaBody(days=sorted({s.starts_at.astimezone(zone).date() for s in sessions}),
                      rooms=sorted({s.room.name for s in sessions if s.room}), html=Markup(html))


@bp.route("/events/<slug>/agenda")
def public(slug: str):
    """The published agenda by day, filtered by day, room and kind."""
    event = _event(slug)
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
        rooms=body.rooms, feed_token=feed_token, kinds=list(SessionKind), filters=filters, zone=_label(event),
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
    event = _event(slug)
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
    return agenda_docx.agenda_docx(event, queries.public_sessions(event), zone_label=_label(event),
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
    event = _event(slug)
    session = _session(event, session_id)
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
    event = _event(slug)
    session = _session(event, session_id)
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
