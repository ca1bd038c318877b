"""The staff timetable: one day as a grid of rooms and times, where items are moved (drag and
drop, or the keyboard-usable "Move to" page), resized, duplicated and opened."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from eventmgr.agenda import queries, service, timetable, timing
from eventmgr.agenda.forms import UNDATED, PlaceForm
from eventmgr.agenda.models import AgendaSession
from eventmgr.agenda.session_views import day_choices
from eventmgr.agenda.views import bp, event_or_404, session_or_404, zone_text
from eventmgr.auth.decorators import staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.localtime import LocalTimeError
from eventmgr.series.models import Event

NO_DAY = "none"
SENTINEL = 987654321  # stands for an item's id in its addresses (_item_urls)


@bp.route("/events/<slug>/agenda/timetable")
@staff_required
def timetable_page(slug: str):
    """One day of the agenda as a grid of rooms × times; items without a time listed above it."""
    event = event_or_404(slug, staff=True)
    used = queries.used_days(event)
    chosen = request.args.get("day", "")
    if chosen == NO_DAY:
        day = None
    else:
        try:
            day = dt.date.fromisoformat(chosen) if chosen else event.start_date
        except ValueError:
            day = event.start_date
    sessions = queries.day_sessions(event, day, with_people=True)
    grid = timetable.build_grid(event, day, queries.rooms(event), sessions) if day is not None else None
    return render_template(
        "agenda/timetable.html", event=event, day=day, days=timing.agenda_days(event, used), used=used,
        grid=grid, untimed=[s for s in sessions if s.starts_at is None],
        cancelled=[s for s in sessions if s.is_cancelled and s.starts_at is not None],
        zone=zone_text(event), no_day=NO_DAY, has_undated=None in used, urls=_item_urls(event))


def _item_urls(event: Event) -> dict[str, str]:
    """Each item's addresses with ITEM in place of its id."""
    return {name: url_for(endpoint, slug=event.slug, session_id=SENTINEL).replace(str(SENTINEL), "ITEM")
            for name, endpoint in (("edit", "agenda.edit_session"), ("place", "agenda.place_session"),
                                   ("duplicate", "agenda.duplicate_session"))}


def _place_form(event: Event, session: AgendaSession) -> PlaceForm:
    data = None
    if request.method == "GET":
        zone = event.zone
        data = {"day": session.day.isoformat() if session.day else UNDATED,
                "starts_at": session.starts_at.astimezone(zone).time() if session.starts_at else None,
                "minutes": int((session.ends_at - session.starts_at).total_seconds() // 60)
                if session.ends_at and session.starts_at else None,
                "room_id": str(session.room_id or "")}
    return PlaceForm(data=data, day_choices=day_choices(event),
                     room_choices=[(str(room.id), room.name) for room in queries.rooms(event)])


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/place", methods=["GET", "POST"])
@staff_required
def place_session(slug: str, session_id: int):
    """Move or resize an item: a new day, start, length and room. The timetable's drag and
    drop posts here; with the keyboard, its "Move to…" link opens this form."""
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    form = _place_form(event, session)
    if request.method == "GET":
        return render_template("agenda/place.html", event=event, session=session, form=form,
                               zone=zone_text(event), no_day=NO_DAY)
    back_day = session.day
    if not form.validate_on_submit():
        flash("; ".join(message for messages in form.errors.values() for message in messages), "error")
        return _back(event, back_day, session)
    day = dt.date.fromisoformat(form.day.data) if form.day.data else None
    start = form.starts_at.data
    if start is not None and day is None:
        flash("Choose the day of an item with a time.", "error")
        return _back(event, back_day, session)
    try:
        starts_at = timing.local_to_utc(event, dt.datetime.combine(day, start)) if start is not None else None
    except LocalTimeError as error:
        flash(f"“{session.title}” was not moved: {error.message}", "error")
        return _back(event, back_day, session)
    minutes = form.minutes.data
    if minutes is None and session.starts_at is not None and session.ends_at is not None:
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    elif minutes is None and session.starts_at is None:
        minutes = session.kind.default_minutes
    ends_at = starts_at + dt.timedelta(minutes=minutes) if starts_at is not None and minutes else None
    try:
        service.place_session(session, current_user, day=day, starts_at=starts_at, ends_at=ends_at,
                              room_id=int(form.room_id.data) if form.room_id.data else None,
                              accept_person_conflicts=form.accept_person_conflicts.data)
    except DomainError as error:
        db.session.rollback()
        flash(f"“{session.title}” was not moved: {error.message}", "error")
        return _back(event, back_day, session)
    db.session.commit()
    flash(f"“{session.title}” moved to {timing.time_span(session, event.zone) or 'no time'}"
          + (f", {session.room.name}" if session.room else "") + ".", "success")
    return _back(event, session.day, session)


def _back(event: Event, day, session: AgendaSession):
    return redirect(url_for("agenda.timetable_page", slug=event.slug,
                            day=day.isoformat() if day else NO_DAY, _anchor=f"item-{session.id}"))
