"""Home page, public event page, and the organizer's series and event screens."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from eventmgr.agenda import queries as agenda_queries
from eventmgr.auth import service as auth_service
from eventmgr.auth.decorators import manages, staff_required
from eventmgr.auth.enums import Role
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.invitations import held
from eventmgr.mail.service import event_publish_ics
from eventmgr.portal import service as portal_service
from eventmgr.redirects import next_url, safe_path
from eventmgr.registry import queries as registry_queries
from eventmgr.registry import registration
from eventmgr.registry.enums import ListVisibility
from eventmgr.reports import queries as report_queries
from eventmgr.reports.enums import ReportStatus
from eventmgr.series import home as home_module
from eventmgr.series import overview, queries, service
from eventmgr.series.enums import EventStatus, OrganizerRole, RegistrationMode
from eventmgr.series.forms import EventForm, SeriesForm, StatusForm
from eventmgr.series.models import Event, Series
from eventmgr.templating import counted

bp = Blueprint("series", __name__)

BLANK_ORGANIZER_ROWS = 3


def event_for_staff(slug: str) -> Event:
    event = queries.event_with_details(slug)
    if event is None:
        abort(404)
    return event


@bp.route("/favicon.ico")
def favicon():
    """The site's icon where browsers and feed readers look for it without being told."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


@bp.route("/login")
def login_shortcut():
    """The address people type: the login page (keeping where they were going)."""
    return redirect(url_for("auth.login", next=safe_path(request.args.get("next"), "") or None))


@bp.route("/")
def home():
    """Series and their published events; for a signed-in user, first what waits for them."""
    work = home_module.your_work(current_user) if current_user.is_authenticated else None
    return render_template("series/home.html", series_list=queries.series_with_public_events(), work=work)


@bp.route("/events/<slug>")
def event_page(slug: str):
    """The public page of an event, with the way to everything published about it and, for a
    registrant, their own registration; drafts only for staff."""
    event = queries.event_with_details(slug)
    if event is None or (not event.is_public and not manages(event)):
        abort(404)
    agenda = agenda_queries.state(event)
    own = (registry_queries.active_registration(event, current_user.person_id)
           if current_user.is_authenticated and current_user.person_id else None)
    return render_template(
        "series/event_page.html", event=event, own_registration=own,
        agenda_published=agenda is not None and agenda.is_published,
        report_published=report_queries.report_status(event) is ReportStatus.PUBLISHED,
        list_published=registry_queries.list_visibility(event) is not ListVisibility.NONE,
        area=portal_service.can_enter_area(current_user, event),
        registration_open=event.status is EventStatus.REGISTRATION_OPEN,
        by_invitation=event.registration_mode is RegistrationMode.INVITATION_ONLY)


@bp.route("/events/<slug>/calendar.ics")
def event_calendar(slug: str):
    """The event as one entry for one's calendar (its dates, place and page)."""
    event = queries.event_with_details(slug)
    if event is None or not event.is_public:
        abort(404)
    return Response(event_publish_ics(event), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}.ics"'})


@bp.route("/series")
@staff_required
def series_list():
    """Every series with its events, drafts included."""
    return render_template("series/series_list.html",
                           series_list=queries.all_series_with_events(current_user.granted_series_ids))


@bp.route("/series/new", methods=["GET", "POST"])
@staff_required
def create_series():
    """Create a series."""
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            series = service.create_series(
                slug=(form.slug.data or "").strip() or service.suggest_slug(form.name.data, Series),
                name=form.name.data,
                description=form.description.data or "",
                mandate_references=form.mandate_references.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # Whoever starts a series organizes it (admins organize every series anyway).
            auth_service.grant_series_role(current_user, series.id, Role.ORGANIZER)
            db.session.commit()
            flash(f"Series “{series.name}” created.", "success")
            return redirect(url_for("series.series_list"))
    return render_template("series/series_form.html", form=form, series=None), 400 if form.errors else 200


@bp.route("/series/<series_slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_series(series_slug: str):
    """Edit a series."""
    series = db.first_or_404(select(Series).where(Series.slug == series_slug))
    form = SeriesForm(obj=series)
    if form.validate_on_submit():
        try:
            service.update_series(
                series, slug=(form.slug.data or "").strip() or series.slug, name=form.name.data,
                description=form.description.data or "",
                mandate_references=form.mandate_references.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Series saved.", "success")
            return redirect(url_for("series.series_list"))
    return render_template("series/series_form.html", form=form, series=series), 400 if form.errors else 200


def _event_form(event: Event | None) -> EventForm:
    """The event form, prefilled from the event on GET, with blank organizer rows."""
    if request.method == "POST":
        return EventForm(organization_choices=registry_queries.organization_choices())
    data = {}
    if event is not None:
        data = {key: getattr(event, key) for key in service.EVENT_FIELDS}
        data["registration_mode"] = event.registration_mode.value
        data["venue_country"] = event.venue_country or ""
        data["goals"] = "\n".join(goal.text for goal in event.goals)
        data["organizers"] = [
            {"organization_id": str(link.organization_id), "role": link.role.value}
            for link in event.organizers
        ]
    data.setdefault("organizers", [])
    data["organizers"] += [{"organization_id": "", "role": OrganizerRole.CO_ORGANIZER.value}
                           ] * BLANK_ORGANIZER_ROWS
    return EventForm(data=data, organization_choices=registry_queries.organization_choices())


def _save_event(form: EventForm, event: Event | None, series=None) -> Event:
    fields = {key: form[key].data for key in service.EVENT_FIELDS}
    fields["slug"] = (fields["slug"] or "").strip()
    if not fields["slug"]:
        fields["slug"] = event.slug if event is not None else service.suggest_slug(
            fields["title"] or "", Event, year=fields["start_date"].year if fields["start_date"] else None)
    if event is None:
        event = service.create_event(series, **fields)
    else:
        service.update_event(event, **fields)
    service.set_event_goals(event, (form.goals.data or "").splitlines())
    service.set_event_organizers(event, [
        (int(row.organization_id.data), OrganizerRole(row.role.data))
        for row in form.organizers if row.organization_id.data
    ])
    return event


@bp.route("/series/<series_slug>/events/new", methods=["GET", "POST"])
@staff_required
def create_event(series_slug: str):
    """Create an event in a series."""
    series = db.first_or_404(select(Series).where(Series.slug == series_slug))
    form = _event_form(None)
    if form.validate_on_submit():
        try:
            event = _save_event(form, None, series)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"Event “{event.title}” created as a draft.", "success")
            return redirect(url_for("series.event_overview", slug=event.slug))
    return render_template("series/event_form.html", form=form, series=series, event=None), \
        400 if form.errors or form.form_errors else 200


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_event(slug: str):
    """Edit an event, its goals and its organizers."""
    event = event_for_staff(slug)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            _save_event(form, event)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            # A capacity rise frees seats: the waiting list gets them in order.
            if registration.promote_waiting_list(event):
                db.session.commit()
            flash("Event saved.", "success")
            return redirect(url_for("series.event_overview", slug=event.slug))
    return render_template("series/event_form.html", form=form, series=event.series, event=event), \
        400 if form.errors or form.form_errors else 200


@bp.route("/events/<slug>/manage")
@staff_required
def event_overview(slug: str):
    """The event workspace: the numbers that matter and the status."""
    event = event_for_staff(slug)
    figures = queries.event_figures(event)
    return render_template(
        "series/event_overview.html", event=event, figures=figures,
        actions=overview.next_actions(event, figures),
        moves=service.allowed_status_moves(event), status_form=StatusForm(),
    )


@bp.route("/events/<slug>/status", methods=["POST"])
@staff_required
def change_status(slug: str):
    """Move the event one step along its lifecycle."""
    event = event_for_staff(slug)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            service.change_event_status(event, EventStatus(form.status.data))
            db.session.flush()
            waiting = held.register_held(event)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"The event is now “{event.status.label}”.", "success")
            _say_held(waiting)
    else:
        flash("Choose a status from the list.", "error")
    return redirect(url_for("series.event_overview", slug=event.slug))


@bp.route("/events/<slug>/open-registration", methods=["POST"])
@staff_required
def open_registration(slug: str):
    """Open registration (publishing a draft on the way) and register the acceptances held for it."""
    event = event_for_staff(slug)
    try:
        waiting = held.open_registration(event)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Registration is open.", "success")
        _say_held(waiting)
    return redirect(next_url(url_for("series.event_overview", slug=event.slug)))


def _say_held(waiting: held.HeldRegistrations) -> None:
    if waiting.registered:
        flash(f"{counted(len(waiting.registered), 'invitee')} who accepted before registration opened "
              f"{'is' if len(waiting.registered) == 1 else 'are'} now registered; the confirmation mail "
              "is in the outbox.", "success")
    for invitation, reason in waiting.refused:
        flash(f"{invitation.person.full_name} accepted before registration opened but was not registered: "
              f"{reason}.", "error")
