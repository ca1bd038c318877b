"""Editing one agenda item: its form, the people on it (with the type-ahead picker), and the
one-button actions (move, duplicate, cancel, delete)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from eventmgr.agenda import directory, queries, roles, service, timing
from eventmgr.agenda.enums import SessionKind, SessionRoleKind
from eventmgr.agenda.forms import UNDATED, FunctionForm, HolderForm, SessionForm
from eventmgr.agenda.models import AgendaSession
from eventmgr.agenda.views import bp, event_or_404, run_action, session_or_404, zone_text
from eventmgr.auth.decorators import staff_required
from eventmgr.errors import DomainError, ValidationFailed
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.localtime import AmbiguousTime, LocalTimeError
from eventmgr.series.models import Event
from eventmgr.templating import long_date

FIRST_ITEM_OF_A_DAY = dt.time(9, 0)


def day_choices(event: Event) -> list[tuple[str, str]]:
    """Every day an item may have: the event's, and the side-event days around them."""
    first, last = timing.agenda_window(event)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [(day.isoformat(), long_date(day) + ("" if event.start_date <= day <= event.end_date
                                                 else " (side events)")) for day in days]


def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def new_item_start(event: Event, day: dt.date, room_id: int | None = None) -> dt.time:
    """Where a new item starts: right after the previous item of the day (of the room, if one
    is chosen), else at the usual start of a conference day."""
    ends = [(s.ends_at or s.starts_at) for s in queries.day_sessions(event, day)
            if s.starts_at is not None and not s.is_cancelled and (room_id is None or s.room_id == room_id)]
    return max(ends).astimezone(event.zone).time() if ends else FIRST_ITEM_OF_A_DAY


def _session_form(event: Event, session: AgendaSession | None = None) -> SessionForm:
    rooms = [(str(room.id), room.name) for room in queries.rooms(event)]
    parents = [(str(s.id), f"{s.day:%d %b} {timing.time_span(s, event.zone)} {s.title}" if s.day else s.title)
               for s in queries.all_sessions(event) if s.parent_id is None and s is not session]
    data = None
    if request.method == "GET":
        if session is not None:
            zone = event.zone
            data = {"kind": session.kind.value, "title": session.title, "description": session.description,
                    "day": session.day.isoformat() if session.day else UNDATED,
                    "starts_at": session.starts_at.astimezone(zone).time() if session.starts_at else None,
                    "ends_at": session.ends_at.astimezone(zone).time() if session.ends_at else None,
                    "is_side_event": session.is_side_event,
                    "room_id": str(session.room_id or ""), "parent_id": str(session.parent_id or "")}
        else:
            data = _new_session_data(event)
    return SessionForm(data=data, zone_label=zone_text(event), day_choices=day_choices(event),
                       room_choices=rooms, parent_choices=parents)


def _new_session_data(event: Event) -> dict:
    """A new item starts on the chosen day (?day=), right after the previous item, with the
    default length of its kind (?kind=, a panel by default)."""
    first, last = timing.agenda_window(event)
    day = _parse_day(request.args.get("day"))
    day = day if day and first <= day <= last else event.start_date
    room_id = request.args.get("room", type=int)
    try:
        kind = SessionKind(request.args.get("kind", SessionKind.PANEL.value))
    except ValueError:
        kind = SessionKind.PANEL
    start = new_item_start(event, day, room_id)
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=kind.default_minutes)).time()
    if end <= start:  # past midnight: let the organizer choose
        end = None
    return {"kind": kind.value, "day": day.isoformat(), "starts_at": start, "ends_at": end,
            "room_id": str(room_id or ""), "parent_id": ""}


def _session_times(event: Event, form: SessionForm, day: dt.date | None) -> dict:
    """Start and end in UTC (None without a time); a time the clocks skip or pass twice is a
    field error, and for the latter the form offers the two offsets to choose from."""
    times, errors = {}, {}
    for name in ("starts_at", "ends_at"):
        offset_field = form[f"{name}_offset"]
        if form[name].data is None or day is None:
            times[name] = None
            continue
        try:
            times[name] = timing.local_to_utc(event, dt.datetime.combine(day, form[name].data),
                                              offset=offset_field.data or None)
        except AmbiguousTime as error:
            offset_field.offer(error.readings)
            errors[name] = [error.message]
        except LocalTimeError as error:
            errors[name] = [error.message]
    if errors:
        raise ValidationFailed(errors)
    return times


def session_fields(event: Event, form: SessionForm) -> dict:
    """The form's values for the service: times typed in the event's zone, as UTC."""
    day = _parse_day(form.day.data)
    return {
        "kind": SessionKind(form.kind.data), "title": form.title.data,
        "description": form.description.data or "", "day": day,
        **_session_times(event, form, day),
        "is_side_event": form.is_side_event.data,
        "room_id": int(form.room_id.data) if form.room_id.data else None,
        "parent_id": int(form.parent_id.data) if form.parent_id.data else None,
    }


def _status(*forms) -> int:
    return 400 if any(f.errors or f.form_errors for f in forms if f is not None) else 200


def _default_lengths() -> dict[str, int]:
    return {kind.value: kind.default_minutes for kind in SessionKind}


@bp.route("/events/<slug>/agenda/sessions/new", methods=["GET", "POST"])
@staff_required
def new_session(slug: str):
    event = event_or_404(slug, staff=True)
    form = _session_form(event)
    if form.validate_on_submit():
        try:
            session = service.create_session(event, current_user, **session_fields(event, form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Session added. Now add its people.", "success")
            return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id))
    return render_template("agenda/session_form.html", event=event, form=form, session=None,
                           zone=zone_text(event), lengths=_default_lengths()), _status(form)


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_session(slug: str, session_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    form = _session_form(event, session)
    if form.validate_on_submit():
        try:
            service.update_session(session, current_user,
                                   accept_person_conflicts=form.accept_person_conflicts.data,
                                   **session_fields(event, form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Session saved.", "success")
            return redirect(url_for("agenda.editor", slug=event.slug, _anchor=f"session-{session.id}"))
    return _render_session(event, session, form, HolderForm())


def _render_session(event, session, form, holder_form, choices=()):
    return render_template("agenda/session_form.html", event=event, form=form, session=session,
                           holder_form=holder_form, choices=choices, function_form=FunctionForm(),
                           zone=zone_text(event), lengths=_default_lengths()), _status(form, holder_form)


class ChooseOne(DomainError):
    """The text typed names several people or bodies: the organizer picks one."""

    def __init__(self, message: str, candidates: list[directory.Candidate]) -> None:
        super().__init__(message, field="query")
        self.candidates = candidates


def _holder(form: HolderForm) -> dict:
    """Who the form names: the picker's choice, a new person, the one match of the text typed,
    or nobody (a function alone)."""
    if form.holder.data:
        holder = directory.resolve(form.holder.data)
        if not holder:
            raise ValidationFailed({"query": ["That choice is no longer in the directory: search again."]})
        return holder
    if (form.family_name.data or "").strip() or (form.given_name.data or "").strip():
        if not (form.family_name.data or "").strip():
            raise ValidationFailed({"family_name": [
                "Enter the family name (the given name may stay empty)."]})
        return {"person": directory.create_person_on_the_spot(
            family_name=form.family_name.data, given_name=form.given_name.data or "",
            honorific=form.honorific.data or "", name_order=form.name_order.data, email=form.email.data or "",
            organization=form.organization.data or "", position=form.function.data or "")}
    text = (form.query.data or "").strip()
    if text:
        found = directory.search(text)
        if len(found) == 1:
            return directory.resolve(found[0].value)
        if not found:
            raise DomainError(f"Nobody in the directory matches “{text}”: check the spelling, or enter "
                              "the new person's name below.", field="query")
        raise ChooseOne(f"Several match “{text}”: choose one.", found)
    return {}


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/people", methods=["POST"])
@staff_required
def add_person(slug: str, session_id: int):
    """Put someone on a session: a person (from the directory or created on the spot), an
    organization or a State, or a function alone."""
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    form = HolderForm()
    choices: list[directory.Candidate] = []
    if form.validate_on_submit():
        try:
            holder = _holder(form)
            link = roles.add_holder(session, SessionRoleKind(form.role.data), current_user,
                                    function=form.function.data or None,
                                    accept_person_conflicts=form.accept_person_conflicts.data, **holder)
        except ChooseOne as choose:
            db.session.rollback()
            choices = choose.candidates
            show_domain_error(form, choose)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, {"holder": "query"})
        else:
            db.session.commit()
            flash(f"{roles.holder_label(link.person, link.organization, link.state, link.function)} added.",
                  "success")
            return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id,
                                    _anchor="people-h"))
    return _render_session(event, session, _session_form(event, session), form, choices)


@bp.route("/events/<slug>/agenda/people/search")
@staff_required
def holder_search(slug: str):
    """The picker's answers: people (with organization and country, to tell namesakes apart),
    organizations and States matching what was typed."""
    event_or_404(slug, staff=True)
    return jsonify({"results": [c.as_json() for c in directory.search(request.args.get("q", "")[:200])]})


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/people/<int:role_id>/function", methods=["POST"])
@staff_required
def change_function(slug: str, session_id: int, role_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    form = FunctionForm()
    if not form.validate_on_submit():
        abort(400)
    return run_action(event,
                      lambda: roles.change_function(session, role_id, form.function.data, current_user),
                      "Function saved.", back=_to_session(event, session))


def _to_session(event: Event, session: AgendaSession):
    return redirect(url_for("agenda.edit_session", slug=event.slug, session_id=session.id,
                            _anchor="people-h"))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/people/<int:role_id>/delete", methods=["POST"])
@staff_required
def remove_person(slug: str, session_id: int, role_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    return run_action(event, lambda: roles.remove_person(session, role_id, current_user), "Removed.",
                      back=_to_session(event, session))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/move", methods=["POST"])
@staff_required
def move_session(slug: str, session_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    step = -1 if request.form.get("direction") == "up" else 1
    return run_action(event, lambda: service.move_session(session, step, current_user), "Session moved.")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/duplicate", methods=["POST"])
@staff_required
def duplicate_session(slug: str, session_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    return run_action(event, lambda: service.duplicate_session(session, current_user),
                      "Session duplicated (without a room).", back=_back_to(event))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel_session(slug: str, session_id: int):
    """Cancel a session, after saying whom the calendar cancellation goes to (GET asks)."""
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    if request.method == "GET":
        # Those mail/service.queue_session_cancel writes to: people with an address, on a timed item.
        people = list({role.person.email_key: role.person for role in session.roles
                       if role.person is not None and role.person.email_key}.values()
                      if session.starts_at is not None else [])
        return render_template("agenda/cancel_session.html", event=event, session=session, people=people)
    return run_action(event, lambda: service.cancel_session(session, current_user), "Session cancelled.")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/delete", methods=["POST"])
@staff_required
def delete_session(slug: str, session_id: int):
    event = event_or_404(slug, staff=True)
    session = session_or_404(event, session_id)
    return run_action(event, lambda: service.delete_session(session, current_user), "Draft session deleted.")


def _back_to(event: Event):
    """Back to the timetable when the action came from it (its forms say so), else the editor."""
    if request.form.get("from") == "timetable":
        return redirect(url_for("agenda.timetable_page", slug=event.slug,
                                day=request.form.get("day") or None))
    return None
