"""Directory, registration, check-in and participant lists."""

from flask import Blueprint

bp = Blueprint("registry", __name__)


# ================================================================ registration, check-in, badges
# (public registration and cancellation; the organizer's Registrations tab, exports, check-in)

from flask import abort, current_app, flash, redirect, render_template, request, url_for  # noqa: E402
from flask_login import current_user  # noqa: E402
from sqlalchemy import select  # noqa: E402

from eventmgr.auth.decorators import staff_required  # noqa: E402
from eventmgr.errors import DomainError, ValidationFailed  # noqa: E402
from eventmgr.extensions import db  # noqa: E402
from eventmgr.registry import exports, registration, registration_queries  # noqa: E402
from eventmgr.registry.enums import ParticipantRole, RegistrationStatus  # noqa: E402
from eventmgr.registry.forms import (  # noqa: E402
    CancelRegistrationForm,
    RegistrationFilterForm,
    RegistrationForm,
    StaffRegistrationForm,
)
from eventmgr.registry.models import Organization, Registration  # noqa: E402
from eventmgr.series.enums import EventStatus, RegistrationMode  # noqa: E402
from eventmgr.series.models import Event  # noqa: E402

REGISTRATIONS_PER_PAGE = 50
CHECKIN_MATCHES = 30
REGISTRATION_ACTIONS = {
    "approve": (registration.approve_registration, "Registration of {name} approved."),
    "promote": (registration.promote_registration, "{name} moved from the waiting list to a seat."),
    "cancel": (registration.cancel_registration, "Registration of {name} cancelled."),
}
OUTCOMES = {
    RegistrationStatus.CONFIRMED: "confirmed",
    RegistrationStatus.PENDING: "pending",
    RegistrationStatus.WAITLISTED: "waitlisted",
}


def _event_or_404(slug: str, *, public: bool = False) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or (public and not event.is_public and not (
            current_user.is_authenticated and current_user.is_staff)):
        abort(404)
    return event


def _registration_of(event: Event, registration_id: int) -> Registration:
    found = db.session.get(Registration, registration_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


def _show_domain_error(form, error: DomainError) -> None:
    """A domain error next to its field, or on top of the form when it names none."""
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
    for name, messages in errors.items():
        name = {"name": "organization_name", "kind": "organization_kind",
                "country": "organization_country"}.get(name, name)
        if name and name in form:
            form[name].errors = list(form[name].errors) + messages
        else:
            form.form_errors.extend(messages)


def _organization_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Organization.id, Organization.name).order_by(Organization.name))
    return [(str(row.id), row.name) for row in rows]


def _submit_registration(event: Event, form: RegistrationForm, *, invitation=None, actor=None):
    """Register from a validated form; on a domain error, put it on the form and write nothing."""
    organization = (db.session.get(Organization, int(form.organization_id.data))
                    if form.organization_id.data else None)
    new_organization = None if organization else {
        "name": form.organization_name.data, "kind": form.organization_kind.data,
        "country": form.organization_country.data or None}
    fields = {"role": form.role.data} if actor is not None else {}
    try:
        result = registration.register_applicant(
            event, organization=organization, new_organization=new_organization,
            invitation=invitation, actor=actor,
            person_fields={key: form[key].data for key in
                           ("honorific", "given_name", "family_name", "email", "position")},
            dietary_needs=form.dietary_needs.data, access_needs=form.access_needs.data,
            visa_letter=form.visa_letter.data, consent_to_list=form.consent_to_list.data, **fields)
    except DomainError as error:
        db.session.rollback()
        _show_domain_error(form, error)
        return None
    db.session.commit()
    return result


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug: str):
    """The public registration form (with ?token= for events by invitation)."""
    event = _event_or_404(slug, public=True)
    token = request.values.get("token", "")
    invitation = registration.find_invitation(event, token)
    if event.status is not EventStatus.REGISTRATION_OPEN:
        return render_template("registry/register_closed.html", event=event), 200
    if event.registration_mode is RegistrationMode.INVITATION_ONLY and invitation is None:
        return render_template("registry/register_invitation_needed.html", event=event,
                               token_given=bool(token)), 404 if token else 200
    data = {}
    if invitation is not None and invitation.person is not None and request.method == "GET":
        person = invitation.person
        data = {key: getattr(person, key) for key in
                ("honorific", "given_name", "family_name", "email", "position")}
        data["organization_id"] = str(person.organization_id or "")
        data["consent_to_list"] = person.consent_to_list
    form = RegistrationForm(data=data, organization_choices=_organization_choices())
    free = registration.seats_left(event)
    if form.validate_on_submit():
        result = _submit_registration(event, form, invitation=invitation)
        if result is not None:
            return redirect(url_for("registry.registered", slug=event.slug,
                                    outcome=OUTCOMES[result.status]))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("registry/register.html", event=event, form=form, token=token,
                           full=free == 0), status


@bp.route("/events/<slug>/register/done")
def registered(slug: str):
    """What happened to a registration just submitted: confirmed, pending or on the waiting list."""
    event = _event_or_404(slug, public=True)
    outcome = request.args.get("outcome", "confirmed")
    if outcome not in OUTCOMES.values():
        abort(404)
    return render_template("registry/registered.html", event=event, outcome=outcome)


@bp.route("/events/<slug>/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(slug: str, token: str):
    """The participant's own cancellation page, reached from the link in their messages."""
    event = _event_or_404(slug)
    found = registration.registration_for_cancel_token(token)
    if found is None or found.event_id != event.id:
        return render_template("registry/cancel_unknown.html", event=event), 404
    form = CancelRegistrationForm()
    if form.validate_on_submit():
        registration.cancel_registration(found, reason=form.reason.data or "")
        db.session.commit()
        return render_template("registry/cancel_done.html", event=event)
    return render_template("registry/cancel.html", event=event, registration=found, form=form), \
        400 if form.errors else 200


@bp.route("/events/<slug>/registrations")
@staff_required
def registrations(slug: str):
    """The organizer's list: filters, sort, counts by status, pagination, actions, exports."""
    event = _event_or_404(slug)
    filters = registration_queries.RegistrationFilter.from_args(request.args)
    page = registration_queries.registrations_page(
        event, filters, request.args.get("page", 1, type=int), REGISTRATIONS_PER_PAGE)
    return render_template(
        "registry/registrations.html", event=event, page=page, filters=filters,
        filter_form=RegistrationFilterForm(formdata=request.args),
        counts=registration_queries.status_counts(event),
        columns=exports.COLUMNS, default_columns=exports.DEFAULT_COLUMNS,
        seats_left=registration.seats_left(event), statuses=RegistrationStatus)


@bp.route("/events/<slug>/registrations.<any(csv, xlsx):fmt>")
@staff_required
def registrations_export(slug: str, fmt: str):
    """The filtered registrations as CSV or XLSX, with the columns ticked on the list page."""
    event = _event_or_404(slug)
    filters = registration_queries.RegistrationFilter.from_args(request.args)
    rows = registration_queries.registrations_for_export(event, filters)
    columns = exports.choose_columns(request.args.getlist("column"))
    if fmt == "csv":
        body = exports.registrations_csv(rows, columns, event.zone)
        mimetype = "text/csv; charset=utf-8"
    else:
        body = exports.registrations_xlsx(rows, columns, event.zone)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.{fmt}"'
    return response


@bp.route("/events/<slug>/registrations/<int:registration_id>/<any(approve, promote, cancel):action>",
          methods=["POST"])
@staff_required
def registration_action(slug: str, registration_id: int, action: str):
    """Approve, promote from the waiting list, or cancel one registration."""
    event = _event_or_404(slug)
    target = _registration_of(event, registration_id)
    change, message = REGISTRATION_ACTIONS[action]
    name = target.person.full_name
    try:
        change(target, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message.format(name=name), "success")
    back = request.form.get("next", "")
    # Only a path on this site: never send the organizer elsewhere.
    if not back.startswith("/") or back.startswith(("//", "/\\")):
        back = url_for("registry.registrations", slug=event.slug)
    return redirect(back)


@bp.route("/events/<slug>/registrations/new", methods=["GET", "POST"])
@staff_required
def register_by_hand(slug: str):
    """An organizer registers someone, in any event status, without approval."""
    event = _event_or_404(slug)
    form = StaffRegistrationForm(organization_choices=_organization_choices(),
                                 data={"role": ParticipantRole.PARTICIPANT.value})
    if form.validate_on_submit():
        result = _submit_registration(event, form, actor=current_user)
        if result is not None:
            flash(f"{result.person.full_name} is registered: {result.status.label.lower()}.", "success")
            return redirect(url_for("registry.registrations", slug=event.slug))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("registry/registrations_new.html", event=event, form=form), status


@bp.route("/events/<slug>/checkin")
@staff_required
def checkin(slug: str):
    """Find a confirmed registrant fast and mark them attended (works without JavaScript)."""
    event = _event_or_404(slug)
    text = request.args.get("q", "").strip()
    matches = registration_queries.checkin_matches(event, text, CHECKIN_MATCHES)
    return render_template("registry/checkin.html", event=event, q=text, matches=matches,
                           counts=registration_queries.status_counts(event), limit=CHECKIN_MATCHES)


@bp.route("/events/<slug>/checkin/<int:registration_id>", methods=["POST"])
@staff_required
def checkin_mark(slug: str, registration_id: int):
    """Mark a registrant attended, or undo it; back to the same search."""
    event = _event_or_404(slug)
    target = _registration_of(event, registration_id)
    try:
        if request.form.get("undo"):
            registration.undo_check_in(target, actor=current_user)
            message = f"Check-in of {target.person.full_name} undone."
        else:
            registration.check_in(target, actor=current_user)
            message = f"{target.person.full_name} checked in."
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("registry.checkin", slug=event.slug, q=request.form.get("q") or None))


@bp.route("/events/<slug>/badges")
@staff_required
def badges(slug: str):
    """Printable name badges, eight per A4 sheet: name, organization, country."""
    event = _event_or_404(slug)
    rows = registration_queries.badge_registrations(event)
    sheets = [rows[start:start + 8] for start in range(0, len(rows), 8)]
    return render_template("registry/badges.html", event=event, sheets=sheets, total=len(rows))
