"""Directory, registration, check-in and participant lists."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from eventmgr.auth.decorators import manages, staff_required, writers_required
from eventmgr.documents.download import document_response
from eventmgr.errors import DomainError
from eventmgr.extensions import db, limiter
from eventmgr.formtools import show_domain_error
from eventmgr.invitations import held
from eventmgr.invitations import service as invitation_service
from eventmgr.keyset import Cursor
from eventmgr.normalize import normalize_email
from eventmgr.portal.service import can_enter_area
from eventmgr.redirects import next_url
from eventmgr.registry import (
    confirmations,
    exports,
    imports,
    queries,
    registration,
    registration_queries,
    service,
)
from eventmgr.registry import enclosure as enclosure_module
from eventmgr.registry.badges import badges_docx
from eventmgr.registry.composition import compute_composition
from eventmgr.registry.enums import (
    ListVisibility,
    OrganizationKind,
    ParticipantRole,
    RegistrationStatus,
    Sector,
)
from eventmgr.registry.forms import (
    CancelRegistrationForm,
    ConfirmForm,
    ConfirmImportForm,
    DirectoryFilterForm,
    EnclosureLayoutForm,
    ImportForm,
    ListVisibilityForm,
    MergeOrganizationForm,
    MergePersonForm,
    MoveForm,
    OrganizationForm,
    PersonForm,
    RegistrationFilterForm,
    RegistrationForm,
    StaffRegistrationForm,
)
from eventmgr.registry.models import Organization, ParticipantListSetting, Person, Registration
from eventmgr.registry.public_list import public_listing
from eventmgr.series.enums import EventStatus, RegistrationMode
from eventmgr.series.models import Event
from eventmgr.undo import flash_undo, undo_window, window_text
from eventmgr.uploads import keep_upload, kept_upload

bp = Blueprint("registry", __name__)


# ---- registration, check-in, badges
# (public registration and cancellation; the organizer's Registrations tab, exports, check-in)


REGISTRATIONS_PER_PAGE = 50
CHECKIN_MATCHES = 30
REGISTRATION_ACTIONS = {
    "approve": (registration.approve_registration, "Registration of {name} approved."),
    "promote": (registration.promote_registration, "{name} moved from the waiting list to a seat."),
}


def _event_or_404(slug: str, *, public: bool = False) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or (public and not event.is_public and not manages(event)):
        abort(404)
    return event


def _registration_of(event: Event, registration_id: int) -> Registration:
    found = db.session.get(Registration, registration_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return found


PERSON_FIELDS = ("honorific", "given_name", "family_name", "name_order", "email", "position")
# The registration form names the organization fields apart from the person's.
ORGANIZATION_FIELD_NAMES = {"name": "organization_name", "kind": "organization_kind",
                            "country": "organization_country"}


def _submit_registration(event: Event, form: RegistrationForm, *, invitation=None, actor=None):
    """Register from a validated form; on a domain error, put it on the form and write nothing."""
    organization = (db.session.get(Organization, int(form.organization_id.data))
                    if form.organization_id.data else None)
    new_organization = None if organization else {
        "name": form.organization_name.data, "kind": form.organization_kind.data,
        "country": form.organization_country.data or None}
    fields = {"role": form.role.data, "notify": form.notify.data} if actor is not None else {}
    try:
        result = registration.register_applicant(
            event, organization=organization, new_organization=new_organization,
            invitation=invitation, actor=actor,
            person_fields={key: form[key].data for key in PERSON_FIELDS},
            dietary_needs=form.dietary_needs.data, access_needs=form.access_needs.data,
            visa_letter=form.visa_letter.data, consent_to_list=form.consent_to_list.data, **fields)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error, ORGANIZATION_FIELD_NAMES)
        return None
    db.session.commit()
    return result


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
# Each registration writes to the address typed in: keep the form from being used to flood inboxes.
@limiter.limit(lambda: current_app.config.get("REGISTRATION_RATE_LIMIT", "30 per hour"), methods=["POST"])
def register(slug: str):
    """The public registration form (with ?token= for events by invitation).

    Before registration opens, an invitee's link leads to the same form: the details are
    kept and the registration made when it opens.
    """
    event = _event_or_404(slug)
    token = request.values.get("token", "")
    invitation = registration.find_invitation(event, token)
    if not event.is_public and invitation is None and not manages(event):
        abort(404)
    own = own_registration(event)
    if own is not None and invitation is None:
        return render_template("registry/already_registered.html", event=event, registration=own,
                               area=can_enter_area(current_user, event))
    if event.status is not EventStatus.REGISTRATION_OPEN:
        if invitation is not None and held.can_hold(invitation):
            return _held_registration(event, invitation, token)
        return render_template("registry/register_closed.html", event=event), 200
    if event.registration_mode is RegistrationMode.INVITATION_ONLY and invitation is None:
        return render_template("registry/register_invitation_needed.html", event=event,
                               token_given=bool(token)), 404 if token else 200
    delegation = invitation.organization if invitation is not None else None
    if delegation is not None:
        # The organization's contact names a delegate: the delegate's own details, the organization fixed.
        data = {"organization_id": str(delegation.id)}
    elif invitation is not None and request.method == "GET":
        data = _invitee_data(invitation)
    else:
        data = {}
    form = _registration_form(RegistrationForm, data=data)
    if delegation is not None:
        form.address_delegate()
    if form.validate_on_submit():
        result = _submit_registration(event, form, invitation=invitation)
        if result is not None and delegation is not None:
            flash(f"{result.person.full_name} is registered as a delegate ({result.status.label.lower()}) "
                  "and receives the confirmation.", "success")
            return redirect(url_for("invitations.rsvp", token=token, _anchor="delegates"))
        if not form.errors and not form.form_errors:
            # The same answer whatever the address's state: what happened is in the mail sent to it.
            # (`slug`, not event.slug: the commit expired the event, which would be read again.)
            return redirect(url_for("registry.registered", slug=slug))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("registry/register.html", event=event, form=form, token=token,
                           full=registration.seats_left(event) == 0, delegation=delegation), status


def _registration_form(form_class: type[RegistrationForm], **kwargs) -> RegistrationForm:
    return form_class(organization_choices=queries.organization_choices,
                      organization_exists=queries.organization_exists, **kwargs)


def own_registration(event: Event) -> Registration | None:
    """The signed-in person's registration at `event`, while it holds or waits for a seat."""
    if not current_user.is_authenticated or current_user.person_id is None:
        return None
    return queries.active_registration(event, current_user.person_id)


def _invitee_data(invitation) -> dict:
    """The registration form filled from the invitee's directory entry and the details they left."""
    person = invitation.person
    data = {key: getattr(person, key) for key in PERSON_FIELDS}
    data["organization_id"] = str(person.organization_id or "")
    data["consent_to_list"] = person.consent_to_list
    details = invitation.held_details or {}
    if details.get("organization_id"):
        data["organization_id"] = str(details["organization_id"])
    if details.get("new_organization"):
        new = details["new_organization"]
        data |= {"organization_id": "", "organization_name": new["name"], "organization_kind": new["kind"],
                 "organization_country": new.get("country") or ""}
    for key in ("dietary_needs", "access_needs", "visa_letter", "consent_to_list"):
        if key in details:
            data[key] = details[key]
    return data


def _held_registration(event: Event, invitation, token: str):
    """Registration is not open yet: the invitee's details are kept, to register them when it opens."""
    form = _registration_form(RegistrationForm,
                              data=_invitee_data(invitation) if request.method == "GET" else None)
    if form.validate_on_submit():
        if normalize_email(form.email.data) != invitation.person.email_key:
            form.email.errors.append("This invitation was sent to someone else: use the email address it "
                                     "was sent to.")
        else:
            new_organization = None if form.organization_id.data else {
                "name": form.organization_name.data, "kind": form.organization_kind.data,
                "country": form.organization_country.data or None}
            try:
                invitation_service.accept_and_hold(invitation, {
                    "organization_id": int(form.organization_id.data) if form.organization_id.data else None,
                    "new_organization": new_organization, "dietary_needs": form.dietary_needs.data or "",
                    "access_needs": form.access_needs.data or "", "visa_letter": form.visa_letter.data,
                    "consent_to_list": form.consent_to_list.data})
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error, ORGANIZATION_FIELD_NAMES)
            else:
                db.session.commit()
                flash("Thank you: your details are kept. You are registered, and receive the confirmation "
                      "by email, as soon as registration opens.", "success")
                return redirect(url_for("invitations.rsvp", token=token))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("registry/register.html", event=event, form=form, token=token, full=False,
                           delegation=None, held=True), status


@bp.route("/events/<slug>/register/done")
def registered(slug: str):
    """"Check your inbox": the same for every address, known, registered or new (no status oracle)."""
    event = _event_or_404(slug, public=True)
    return render_template("registry/registered.html", event=event)


@bp.route("/events/<slug>/register/confirm/<token>", methods=["GET", "POST"])
def confirm_registration(slug: str, token: str):
    """The mailed link: what was asked in the person's name, and a button to confirm it."""
    event = _event_or_404(slug)
    row = confirmations.pending(event, token)
    if row is None:
        return render_template("registry/confirm_unknown.html", event=event), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            result = confirmations.confirm(row)
        except DomainError as error:
            db.session.rollback()
            return render_template("registry/confirm.html", event=event, row=row, form=form,
                                   error=error.message), 409
        db.session.commit()
        return render_template("registry/confirmed.html", event=event, registration=result, kind=row.kind)
    return render_template("registry/confirm.html", event=event, row=row, form=form, error=None)


@bp.route("/events/<slug>/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(slug: str, token: str):
    """The participant's own cancellation page, reached from the link in their messages."""
    event = _event_or_404(slug)
    found = registration.registration_for_cancel_token(token)
    if found is None or found.event_id != event.id:
        return render_template("registry/cancel_unknown.html", event=event), 404
    form = CancelRegistrationForm()
    if form.validate_on_submit():
        registration.cancel_registration(found, reason=form.reason.data or "", hold=undo_window())
        db.session.commit()
        return render_template("registry/cancel_done.html", event=event, token=token,
                               undo_window=window_text())
    return render_template("registry/cancel.html", event=event, registration=found, form=form), \
        400 if form.errors else 200


@bp.route("/events/<slug>/registrations")
@staff_required
def registrations(slug: str):
    """The organizer's list: filters, sort, counts by status, pagination, actions, exports."""
    event = _event_or_404(slug)
    filters = registration_queries.RegistrationFilter.from_args(request.args)
    counts = registration_queries.status_counts(event)
    page = registration_queries.registrations_page(
        event, filters, Cursor.from_args(request.args), REGISTRATIONS_PER_PAGE,
        event_total=registration_queries.event_total(counts))
    seats_left = registration.seats_left(event)
    return render_template(
        "registry/registrations.html", event=event, page=page, filters=filters,
        filter_form=RegistrationFilterForm(formdata=request.args), counts=counts,
        columns=exports.COLUMNS, default_columns=exports.DEFAULT_COLUMNS, seats_left=seats_left,
        promotable=counts["waitlisted"] if seats_left is None else min(counts["waitlisted"], seats_left),
        statuses=RegistrationStatus)


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
        mimetype = "text/csv"
    else:
        body = exports.registrations_xlsx(rows, columns, event.zone)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.{fmt}"'
    return response


@bp.route("/events/<slug>/registrations/<int:registration_id>/<any(approve, promote):action>",
          methods=["POST"])
@staff_required
def registration_action(slug: str, registration_id: int, action: str):
    """Approve, or promote from the waiting list, one registration (cancelling asks first:
    cancellation_views)."""
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
    return redirect(next_url(url_for("registry.registrations", slug=event.slug)))


@bp.route("/events/<slug>/registrations/fill-seats", methods=["POST"])
@staff_required
def fill_free_seats(slug: str):
    """Give the seats freed by a capacity rise to the waiting list, first registered first."""
    event = _event_or_404(slug)
    promoted = registration.promote_waiting_list(event)
    db.session.commit()
    flash(f"{len(promoted)} {'person' if len(promoted) == 1 else 'people'} moved from the waiting list "
          "to a seat.", "success")
    return redirect(url_for("registry.registrations", slug=event.slug))


@bp.route("/events/<slug>/registrations/new", methods=["GET", "POST"])
@staff_required
def register_by_hand(slug: str):
    """An organizer registers someone, in any event status, without approval."""
    event = _event_or_404(slug)
    form = _registration_form(StaffRegistrationForm, data={"role": ParticipantRole.PARTICIPANT.value})
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
    q = request.form.get("q") or None
    undo = bool(request.form.get("undo"))
    try:
        if undo:
            registration.undo_check_in(target, actor=current_user)
        else:
            registration.check_in(target, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if undo:
            flash(f"Check-in of {target.person.full_name} undone.", "success")
        else:
            flash_undo(f"{target.person.full_name} checked in.",
                       url_for("registry.checkin_mark", slug=event.slug, registration_id=target.id),
                       {"undo": "1", "q": q or ""}, button="Undo")
    return redirect(url_for("registry.checkin", slug=event.slug, q=q))


@bp.route("/events/<slug>/badges")
@staff_required
def badges(slug: str):
    """Printable name badges, eight per A4 sheet: name, organization, country."""
    event = _event_or_404(slug)
    rows = registration_queries.badge_registrations(event)
    sheets = [rows[start:start + 8] for start in range(0, len(rows), 8)]
    return render_template("registry/badges.html", event=event, sheets=sheets, total=len(rows))


@bp.route("/events/<slug>/badges.<fmt>")
@staff_required
def badges_file(slug: str, fmt: str):
    """The badges as DOCX or PDF (from that DOCX): eight per A4 sheet, with cut lines."""
    event = _event_or_404(slug)
    body = badges_docx(event, registration_queries.badge_registrations(event))
    return document_response(body, fmt, f"badges-{event.slug}")


# ---- directory


PREVIEW_ROWS = 100


def _directory_filters(form: DirectoryFilterForm) -> queries.DirectoryFilters:
    form.validate()
    return queries.DirectoryFilters(
        q=(form.q.data or "").strip(),
        kind=OrganizationKind(form.kind.data) if form.kind.data and not form.kind.errors else None,
        country=form.country.data if form.country.data and not form.country.errors else None,
        sector=Sector(form.sector.data) if form.sector.data and not form.sector.errors else None,
    )


def _page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


@bp.route("/organizations")
@staff_required
def organizations():
    """The directory of organizations: search, filters, pages."""
    form = DirectoryFilterForm(request.args)
    page, people_counts = queries.organizations_page(_directory_filters(form), _page_number())
    return render_template("registry/organizations.html", form=form, page=page,
                           people_counts=people_counts)


def _organization_fields(form: OrganizationForm) -> dict:
    return {"name": form.name.data, "acronym": form.acronym.data or "", "kind": form.kind.data,
            "country": form.country.data or None, "state": form.state.data or None,
            "sectors": form.sectors.data or [], "size": form.size.data or None,
            "aliases": (form.aliases.data or "").splitlines()}


@bp.route("/organizations/new", methods=["GET", "POST"])
@staff_required
def create_organization():
    """Add an organization to the directory."""
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = service.create_organization(**_organization_fields(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"“{organization.name}” added.", "success")
            return redirect(url_for("registry.organization", organization_id=organization.id))
    return (render_template("registry/organization_form.html", form=form, organization=None),
            400 if form.errors else 200)


@bp.route("/organizations/<int:organization_id>")
@staff_required
def organization(organization_id: int):
    """An organization: its people, its registrations across the series, merging."""
    organization = db.get_or_404(Organization, organization_id)
    return render_template(
        "registry/organization.html", organization=organization,
        history=queries.organization_history(organization),
        people=queries.organization_people(organization),
        similar=queries.similar_organizations(organization), merge_form=MergeOrganizationForm())


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_organization(organization_id: int):
    """Edit an organization."""
    organization = db.get_or_404(Organization, organization_id)
    form = OrganizationForm(data={
        "name": organization.name, "acronym": organization.acronym, "kind": organization.kind.value,
        "country": organization.country or "", "state": organization.state or "",
        "sectors": [s.value for s in organization.sectors], "size": organization.size or "",
        "aliases": "\n".join(organization.alias_names)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.update_organization(organization, **_organization_fields(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Organization saved.", "success")
            return redirect(url_for("registry.organization", organization_id=organization.id))
    return (render_template("registry/organization_form.html", form=form, organization=organization),
            400 if form.errors else 200)


@bp.route("/organizations/<int:organization_id>/merge", methods=["POST"])
@staff_required
def merge_organization(organization_id: int):
    """Fold a duplicate organization into this one."""
    organization = db.get_or_404(Organization, organization_id)
    form = MergeOrganizationForm()
    if form.validate_on_submit():
        duplicate = db.session.get(Organization, form.duplicate_id.data)
        if duplicate is None:
            form.duplicate_id.errors = [f"There is no organization number {form.duplicate_id.data}."]
        else:
            try:
                name = duplicate.name
                service.merge_organizations(organization, duplicate)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(f"“{name}” merged into this organization.", "success")
                return redirect(url_for("registry.organization", organization_id=organization_id))
    return render_template(
        "registry/organization.html", organization=organization,
        history=queries.organization_history(organization),
        people=queries.organization_people(organization),
        similar=queries.similar_organizations(organization), merge_form=form), 400


@bp.route("/people")
@staff_required
def people():
    """The directory of people: search, filters, pages."""
    form = DirectoryFilterForm(request.args)
    page = queries.people_page(_directory_filters(form), Cursor.from_args(request.args))
    return render_template("registry/people.html", form=form, page=page)


def _person_fields(form: PersonForm) -> dict:
    return {key: form[key].data for key in ("honorific", "given_name", "family_name", "name_order", "email",
                                            "position", "consent_to_list")} | {
        "country": form.country.data or None}


def _chosen_organization(form: PersonForm) -> Organization | None:
    return db.session.get(Organization, int(form.organization_id.data)) if form.organization_id.data else None


@bp.route("/people/new", methods=["GET", "POST"])
@staff_required
def create_person():
    """Add a person to the directory."""
    form = PersonForm(organization_choices=queries.organization_choices())
    if form.validate_on_submit():
        try:
            person = service.create_person(organization=_chosen_organization(form), **_person_fields(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{person.full_name} added.", "success")
            return redirect(url_for("registry.person", person_id=person.id))
    return render_template("registry/person_form.html", form=form, person=None), 400 if form.errors else 200


@bp.route("/people/<int:person_id>")
@staff_required
def person(person_id: int):
    """A person: details, registrations across the series, merging."""
    person = db.get_or_404(Person, person_id)
    return render_template("registry/person.html", person=person,
                           history=queries.person_history(person),
                           similar=queries.similar_people(person), merge_form=MergePersonForm())


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_person(person_id: int):
    """Edit a person."""
    person = db.get_or_404(Person, person_id)
    data = None
    if request.method == "GET":
        data = {key: getattr(person, key) for key in ("honorific", "given_name", "family_name", "name_order",
                                                      "email", "position", "consent_to_list")}
        data |= {"country": person.country or "", "organization_id": str(person.organization_id or "")}
    form = PersonForm(data=data, organization_choices=queries.organization_choices())
    if form.validate_on_submit():
        try:
            service.update_person(person, organization=_chosen_organization(form), **_person_fields(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Person saved.", "success")
            return redirect(url_for("registry.person", person_id=person.id))
    return render_template("registry/person_form.html", form=form, person=person), 400 if form.errors else 200


@bp.route("/people/<int:person_id>/merge", methods=["POST"])
@staff_required
def merge_person(person_id: int):
    """Fold a duplicate record of this person into this one."""
    person = db.get_or_404(Person, person_id)
    form = MergePersonForm()
    if form.validate_on_submit():
        duplicate = service.get_person_by_email(form.duplicate_email.data)
        if duplicate is None:
            form.duplicate_email.errors = [f"No one in the directory has the address "
                                           f"{form.duplicate_email.data.strip()}."]
        else:
            try:
                email = duplicate.email
                service.merge_people(person, duplicate)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(f"The record of {email} was merged into this one.", "success")
                return redirect(url_for("registry.person", person_id=person_id))
    return render_template("registry/person.html", person=person,
                           history=queries.person_history(person),
                           similar=queries.similar_people(person), merge_form=form), 400


# ---- imports

@bp.route("/events/<slug>/import", methods=["GET", "POST"])
@staff_required
def import_participants(slug: str):
    """Upload a participant file; see what it would do, row by row, before confirming."""
    event = _event_or_404(slug)
    form = ImportForm()
    if form.validate_on_submit():
        data, filename = form.file.data.read(), form.file.data.filename or ""
        try:
            result = imports.import_participants(event, data, filename, dry_run=True)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            upload = None if result.errors else keep_upload(data, filename)
            page = render_template("registry/import_preview.html", event=event, result=result,
                                   filename=filename, preview_rows=result.validation.rows[:PREVIEW_ROWS],
                                   confirm_form=ConfirmImportForm(upload=upload))
            return page, 400 if result.errors else 200
    return render_template("registry/import.html", event=event, form=form), 400 if form.errors else 200


@bp.route("/events/<slug>/import/confirm", methods=["POST"])
@staff_required
def confirm_import(slug: str):
    """Import the previewed file (all or nothing)."""
    event = _event_or_404(slug)
    form = ConfirmImportForm()
    path = kept_upload(form.upload.data) if form.validate_on_submit() else None
    if path is None:
        flash("That upload has expired or is unknown: upload the file again.", "error")
        return redirect(url_for("registry.import_participants", slug=slug))
    result = imports.import_participants(event, path.read_bytes(), path.name,
                                         same_as=form.same_as(request.form))
    if result.errors:
        db.session.rollback()
        return render_template("registry/import_preview.html", event=event, result=result,
                               filename=path.name, preview_rows=[], confirm_form=None), 400
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(f"Imported {len(result.validation.rows)} rows: {result.people_created} new people, "
          f"{result.organizations_created} new organizations, {result.registrations_created} new and "
          f"{result.registrations_updated} updated registrations.", "success")
    return redirect(url_for("registry.lists", slug=slug))


# ---- lists, enclosure, composition, public list

def _lists_page(event: Event, visibility_form: ListVisibilityForm | None = None):
    visibility = queries.list_visibility(event)
    return render_template(
        "registry/lists.html", event=event,
        groups=enclosure_module.group_organizations(enclosure_module.listed_organizations(event)),
        composition=compute_composition(event), visibility=visibility,
        visibility_form=visibility_form or ListVisibilityForm(visibility=visibility.value),
        move_form=MoveForm(), held=event.status in enclosure_module.HELD_STATUSES)


@bp.route("/events/<slug>/lists")
@staff_required
def lists(slug: str):
    """The Lists tab: the enclosure and its order, composition, the public list, imports."""
    return _lists_page(_event_or_404(slug))


@bp.route("/events/<slug>/lists/order", methods=["POST"])
@staff_required
def move_in_enclosure(slug: str):
    """Move an organization up or down in its enclosure paragraph."""
    event = _event_or_404(slug)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down") \
            or not form.organization_id.data.isdigit():
        abort(400, "Choose an organization and a direction.")
    enclosure_module.move_organization(event, int(form.organization_id.data),
                                       -1 if form.direction.data == "up" else 1)
    db.session.commit()
    return redirect(url_for("registry.lists", slug=slug) + f"#org-{form.organization_id.data}")


@bp.route("/events/<slug>/lists/order/reset", methods=["POST"])
@staff_required
def reset_enclosure_order(slug: str):
    """Back to alphabetical order."""
    event = _event_or_404(slug)
    enclosure_module.reset_order(event)
    db.session.commit()
    flash("The enclosure is in alphabetical order again.", "success")
    return redirect(url_for("registry.lists", slug=slug))


@bp.route("/events/<slug>/lists/publish", methods=["POST"])
@staff_required
def publish_list(slug: str):
    """Choose what the public participant list shows (or unpublish it)."""
    event = _event_or_404(slug)
    form = ListVisibilityForm()
    if not form.validate_on_submit():
        return _lists_page(event, form), 400
    setting = db.session.get(ParticipantListSetting, event.id) or ParticipantListSetting(event_id=event.id)
    setting.visibility = ListVisibility(form.visibility.data)
    db.session.add(setting)
    db.session.commit()
    flash(f"Public participant list: {setting.visibility.label.lower()}.", "success")
    return redirect(url_for("registry.lists", slug=slug))


@bp.route("/events/<slug>/composition")
@writers_required
def composition(slug: str):
    """Who takes part: counts by category, kind, country, sector and role, with charts."""
    event = _event_or_404(slug)
    return render_template("registry/composition.html", event=event,
                           composition=compute_composition(event))


@bp.route("/events/<slug>/participants/enclosure")
@writers_required
def enclosure(slug: str):
    """The "List of participants" enclosure as a page."""
    event = _event_or_404(slug)
    form = EnclosureLayoutForm(request.args)
    return render_template("registry/enclosure.html", event=event, layout_form=form, layout=form.chosen,
                           paragraphs=enclosure_module.build_enclosure(event),
                           held=event.status in enclosure_module.HELD_STATUSES)


@bp.route("/events/<slug>/participants/enclosure.txt")
@writers_required
def enclosure_txt(slug: str):
    """The enclosure as plain text (UTF-8), in the layout asked for (?layout=lines)."""
    event = _event_or_404(slug)
    text = enclosure_module.enclosure_file_text(enclosure_module.build_enclosure(event),
                                                layout=EnclosureLayoutForm(request.args).chosen)
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'inline; filename="participants-{event.slug}.txt"'})


@bp.route("/events/<slug>/participants/enclosure.docx")
@writers_required
def enclosure_docx(slug: str):
    """The enclosure as a Word document, in the layout asked for (?layout=lines)."""
    event = _event_or_404(slug)
    layout = EnclosureLayoutForm(request.args).chosen
    return document_response(enclosure_module.enclosure_docx(event, layout), "docx",
                             f"participants-{event.slug}")


@bp.route("/events/<slug>/participants/enclosure.pdf")
@writers_required
def enclosure_pdf(slug: str):
    """The enclosure as PDF, converted from the same Word document, in the layout asked for."""
    event = _event_or_404(slug)
    layout = EnclosureLayoutForm(request.args).chosen
    return document_response(enclosure_module.enclosure_docx(event, layout), "pdf",
                             f"participants-{event.slug}")


@bp.route("/events/<slug>/participant-list")
def public_list(slug: str):
    """The participant list the organizers published (organizations, or persons who consented)."""
    event = _event_or_404(slug)
    visibility = queries.list_visibility(event)
    if not event.is_public or visibility is ListVisibility.NONE:
        abort(404)
    return render_template("registry/public_list.html", event=event,
                           listing=public_listing(event, visibility))


# The registrant's own registration, and cancellations with their undo, are in their own module.
from eventmgr.registry import cancellation_views  # noqa: E402, F401
