"""The organizer's agenda editor, the public agenda page and its exports."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable

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
from flask_wtf.csrf import generate_csrf

from eventmgr.agenda import cache, frab, ics, page, queries, service
from eventmgr.agenda import docx as agenda_docx
from eventmgr.agenda.enums import SessionKind
from eventmgr.agenda.exportmeta import ExportMeta
from eventmgr.agenda.forms import CopyAgendaForm, RoomForm
from eventmgr.agenda.models import AgendaSession, Room
from eventmgr.agenda.queries import AgendaRevision
from eventmgr.auth.decorators import login_required, manages, staff_required
from eventmgr.documents import pdf
from eventmgr.documents.download import DOCX_TYPE
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.links import external_url
from eventmgr.redirects import next_url
from eventmgr.security import without_login_cookies
from eventmgr.series import queries as series_queries
from eventmgr.series.models import Event
from eventmgr.templating import counted, zone_label

bp = Blueprint("agenda", __name__)


def event_or_404(slug: str, *, staff: bool = False, details: bool = True) -> Event:
    """The event (with its series, organizers and goals unless `details` is off: the public
    agenda page shows only the event's own columns), or 404 for a reader it is hidden from."""
    event = series_queries.event_with_details(slug) if details else queries.event_by_slug(slug)
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

FILTERS = ("day", "room", "kind")
# No day, room or kind name is longer: longer values are cut, and never key the page cache.
FILTER_LENGTH = 200


def _shared_query() -> bool:
    """Whether the query string is one the shared page cache may key: filters only, once each."""
    return all(key in FILTERS and len(values) == 1 and len(values[0]) <= FILTER_LENGTH
               for key, values in request.args.lists())


@bp.route("/events/<slug>/agenda")
def public(slug: str):
    """The published agenda by day, filtered by day, room and kind."""
    # No login cookie: nobody signed in, no message waiting; the page every anonymous reader gets.
    if without_login_cookies() and _shared_query():
        # Every anonymous reader gets the same page: one revision check, then the cached page.
        revision = queries.agenda_revision(slug)
        if revision is not None and revision.is_public and revision.is_published:
            key = cache.revision_key(revision)
            query_tag = hashlib.blake2b(request.query_string, digest_size=6).hexdigest()
            response = cache.conditional((key, "page", request.query_string),
                                         lambda: _public_page(slug, revision).encode(),
                                         etag=f"page-{key}-{query_tag}", mimetype="text/html",
                                         vary=("Cookie",))
            return response.make_conditional(request)
    return _public_page(slug)


def _public_page(slug: str, state: AgendaRevision | None = None) -> str:
    event = event_or_404(slug, details=False)
    state = state or queries.agenda_revision(slug)
    preview = manages(event) and not state.is_published
    filters = {key: request.args.get(key, "")[:FILTER_LENGTH] for key in FILTERS}
    if not state.is_published:
        # The staff preview of the draft; anyone else sees that it is not out yet.
        sessions = queries.all_sessions(event) if preview else queries.public_sessions(event)
        body = page.agenda_body(event, sessions, filters, published=False, preview=preview)
        html = body.html
    else:
        # Every reader of a published agenda shares the days: built once per revision and filter
        # from plain rows; a signed-in reader's page adds their own buttons to them.
        key = cache.revision_key(state)
        rows = functools.cache(lambda: queries.export_sessions(event))
        body = cache.cached((key, "body", *filters.values()),
                            lambda: page.agenda_body(event, rows(), filters, published=True, preview=False))
        html = body.html
    feed_token = None
    if current_user.is_authenticated:
        if body.slots:
            buttons = cache.cached((key, "personal-buttons"), lambda: page.personal_buttons(event, rows()))
            personal_ids = queries.personal_session_ids(current_user.id, event)
            html = body.with_buttons(buttons.for_reader(personal_ids, generate_csrf()))
        if queries.has_personal_feed(current_user.id):
            feed_token = service.personal_feed_token(current_user, current_app.config["SECRET_KEY"])
    return render_template(
        "agenda/public.html", event=event, state=state, preview=preview, body=body, days_html=html,
        days=body.days, rooms=body.rooms, feed_token=feed_token, kinds=list(SessionKind),
        filters=filters, zone=zone_text(event),
    )


# Exports: only published content; cached per agenda revision; ETag checked before any build, and
# nothing loaded but the revision when the cache holds the export.

def _published(slug: str) -> AgendaRevision:
    revision = queries.agenda_revision(slug)
    if (revision is None or not revision.is_published
            or (not revision.is_public and not manages(revision.series_id))):
        abort(404)
    return revision


def _event_of(revision: AgendaRevision) -> Event:
    """The event with its details, loaded only when an export is built."""
    return series_queries.event_with_details(revision.slug)


def _meta(revision: AgendaRevision, feed_endpoint: str, **feed_values) -> ExportMeta:
    agenda_url = external_url("agenda.public", slug=revision.slug)
    return ExportMeta(
        namespace=current_app.config["EVENTMGR_UID_NAMESPACE"], updated_at=revision.updated_at,
        version=revision.version, agenda_url=agenda_url,
        feed_url=external_url(feed_endpoint, **feed_values),
        # What url_for(..., _anchor=...) writes ("session-12" needs no quoting), without
        # building the URL again for each of thousands of sessions.
        session_url=lambda session_id: f"{agenda_url}#session-{session_id}",
        calendar_name=revision.title,
    )


PUBLIC_FOR_FIVE_MINUTES = "public, max-age=300"


def _export(revision: AgendaRevision, fmt: str, mimetype: str, build: Callable[[], bytes], *,
            filename: str, disposition: str = "inline") -> Response:
    def finish(response: Response) -> None:
        if response.status_code == 200:
            response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        response.last_modified = revision.updated_at
        # Written once, as werkzeug's cache_control writes it (public, then max-age).
        response.headers["Cache-Control"] = PUBLIC_FOR_FIVE_MINUTES

    key = cache.revision_key(revision)
    response = cache.conditional((key, fmt), build, etag=f"agenda-{key}-{fmt}", mimetype=mimetype,
                                 finish=finish)
    return response.make_conditional(request)


def _ics_parts(revision: AgendaRevision) -> ics.AgendaParts:
    """Every published session's VEVENT of this revision: the agenda feed, a session's feed and
    personal feeds are all assembled from them."""
    def build() -> ics.AgendaParts:
        meta = _meta(revision, "agenda.event_ics", slug=revision.slug)
        return ics.agenda_parts(queries.export_sessions(queries.export_event(revision.event_id)), meta)

    return cache.cached((cache.revision_key(revision), "ics-parts"), build)


@bp.route("/events/<slug>/agenda.ics")
def event_ics(slug: str):
    revision = _published(slug)

    def build() -> bytes:
        meta = _meta(revision, "agenda.event_ics", slug=revision.slug)
        return ics.calendar(_ics_parts(revision).events, meta, description=f"Agenda of {revision.title}")

    return _export(revision, "ics", "text/calendar", build, filename=f"{revision.slug}.ics")


def _parts_of(revision: AgendaRevision, session_ids: set[int]) -> dict[int, ics.EventPart]:
    """The VEVENTs of these published sessions: sliced from the agenda's cached build when a
    worker has it, else built for these sessions alone (the first reader of a session's feed
    after a change does not build the whole agenda)."""
    built = cache.peek((cache.revision_key(revision), "ics-parts"))
    if built is not None:
        return {i: built.by_session[i] for i in session_ids if i in built.by_session}
    meta = _meta(revision, "agenda.event_ics", slug=revision.slug)
    return ics.agenda_parts(queries.published_sessions(revision.event_id, session_ids), meta).by_session


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session_ics(slug: str, session_id: int):
    revision = _published(slug)

    def build() -> bytes:
        part = _parts_of(revision, {session_id}).get(session_id)
        if part is None:  # not on the published agenda, or an item with no time yet
            abort(404, description="No such session in the calendar: it is not on the published "
                                   "agenda, or it has no time yet.")
        meta = _meta(revision, "agenda.session_ics", slug=revision.slug, session_id=session_id)
        return ics.calendar([part], meta, description=f"Agenda of {revision.title}")

    return _export(revision, f"ics-{session_id}", "text/calendar", build,
                   filename=f"{revision.slug}-{session_id}.ics")


@bp.route("/events/<slug>/schedule.xml")
def schedule_xml(slug: str):
    revision = _published(slug)

    def build() -> bytes:
        event = queries.export_event(revision.event_id)
        meta = _meta(revision, "agenda.schedule_xml", slug=revision.slug)
        return frab.schedule_xml(event, queries.export_sessions(event), meta)

    return _export(revision, "xml", "application/xml", build, filename=f"{revision.slug}-schedule.xml")


def _schedule_json(revision: AgendaRevision, endpoint: str) -> bytes:
    event = queries.export_event(revision.event_id)
    meta = _meta(revision, endpoint, slug=revision.slug)
    return frab.schedule_json(event, queries.export_sessions(event), meta)


@bp.route("/events/<slug>/schedule.json")
def schedule_json(slug: str):
    revision = _published(slug)
    return _export(revision, "json", "application/json",
                   lambda: _schedule_json(revision, "agenda.schedule_json"),
                   filename=f"{revision.slug}-schedule.json")


@bp.route("/api/v1/events/<slug>/agenda")
def api_agenda(slug: str):
    revision = _published(slug)
    return _export(revision, "api", "application/json",
                   lambda: _schedule_json(revision, "agenda.api_agenda"),
                   filename=f"{revision.slug}-agenda.json")


def _programme_docx(revision: AgendaRevision) -> bytes:
    def build() -> bytes:
        event = _event_of(revision)
        return agenda_docx.agenda_docx(event, queries.public_sessions(event), zone_label=zone_text(event),
                                       venue=event.place)

    return cache.cached((cache.revision_key(revision), "docx-bytes"), build)


@bp.route("/events/<slug>/agenda.docx")
def docx_export(slug: str):
    """The programme in conference form (A4, one table per day)."""
    revision = _published(slug)
    return _export(revision, "docx", DOCX_TYPE, lambda: _programme_docx(revision),
                   filename=f"{revision.slug}-agenda.docx", disposition="attachment")


@bp.route("/events/<slug>/agenda.pdf")
def pdf_export(slug: str):
    """The programme as PDF, converted from the same DOCX."""
    revision = _published(slug)

    def build() -> bytes:
        try:
            return pdf.docx_to_pdf(_programme_docx(revision))
        except pdf.PdfUnavailable as error:
            abort(503, description=error.message)

    return _export(revision, "pdf", pdf.PDF_TYPE, build, filename=f"{revision.slug}-agenda.pdf",
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
    """The sessions a user chose, at a secret, revocable address: assembled from the parts of
    each event's agenda (cached, or built for the chosen sessions alone)."""
    user_id = service.user_id_for_feed_token(token)
    if user_id is None:
        abort(404)
    choices = queries.personal_choices(user_id)
    revisions = queries.agenda_revisions({event_id for _, event_id in choices}) if choices else {}
    parts_of = {event_id: _parts_of(revision, {i for i, of_event in choices if of_event == event_id})
                for event_id, revision in revisions.items()}
    parts = [parts_of[event_id][session_id] for session_id, event_id in choices
             if session_id in parts_of[event_id]]
    meta = ExportMeta(
        namespace=current_app.config["EVENTMGR_UID_NAMESPACE"],
        updated_at=max((p.updated_at for p in parts), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)),
        version=0, agenda_url=external_url("series.home"),
        feed_url=external_url("agenda.personal_feed", token=token),
        # The VEVENTs come built, with their links to their own agendas.
        session_url=lambda session_id: "", calendar_name="My agenda",
    )
    response = Response(ics.calendar(parts, meta, description="Sessions I chose"), mimetype="text/calendar")
    response.add_etag()
    response.headers["Cache-Control"] = "private, max-age=300"
    return response.make_conditional(request)


# The session editor, the timetable and the import add their routes to this blueprint.
from eventmgr.agenda import import_views, session_views, timetable_views  # noqa: E402, F401
