"""Invitation dashboard, template, sending, and the public RSVP page."""


from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from eventmgr.auth.decorators import staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db
from eventmgr.formtools import show_domain_error
from eventmgr.invitations import held, queries, service
from eventmgr.invitations.enums import InvitationStatus
from eventmgr.invitations.exports import COLUMNS
from eventmgr.invitations.forms import (
    AddPeopleForm,
    AnswerForm,
    DirectoryFilterForm,
    EarlierEventForm,
    InvitationImportForm,
    OrganizationInvitationForm,
    SeatsForm,
    TemplateForm,
)
from eventmgr.invitations.models import Invitation
from eventmgr.normalize import normalize_email
from eventmgr.registry import registration
from eventmgr.registry.enums import OrganizationKind, Sector
from eventmgr.registry.exports import registrations_csv, registrations_xlsx
from eventmgr.registry.models import Organization, Person
from eventmgr.registry.queries import organization_choices
from eventmgr.series.models import Event
from eventmgr.series.views import event_for_staff
from eventmgr.templating import counted

bp = Blueprint("invitations", __name__)


def _sender() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"]


def _invitation(event, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        abort(404)
    return invitation


INVITATIONS_PER_PAGE = 50


@bp.route("/events/<slug>/invitations")
@staff_required
def dashboard(slug: str):
    """Counts by status, category and country; the invitee list: search, filter, pages, mass actions."""
    return _dashboard(event_for_staff(slug))


def _dashboard(event: Event, *, import_form=None, result=None, organization_form=None, code: int = 200):
    counts = queries.status_counts(event.id)
    filters = queries.InvitationFilter.from_args(request.args)
    earlier_form = EarlierEventForm()
    earlier_form.earlier_event_id.choices = [(e.id, e.title) for e in event.series.events if e.id != event.id]
    return render_template(
        "invitations/dashboard.html", event=event, counts=counts, rate=queries.response_rate(counts),
        figures=queries.list_figures(event.id), registration_open=held.registration_is_open(event),
        may_send=held.may_send(event),
        by_category=queries.counts_by_category(event.id), by_country=queries.counts_by_country(event.id),
        page=queries.invitation_page(event.id, filters, max(request.args.get("page", 1, type=int) or 1, 1),
                                     INVITATIONS_PER_PAGE),
        filters=filters, status_filters=[(s.value, s.label) for s in InvitationStatus]
        + list(queries.EXTRA_FILTERS.items()),
        delegates_named=queries.delegates_named(event.id), max_seats=service.MAX_SEATS,
        add_form=AddPeopleForm(), filter_form=DirectoryFilterForm(), earlier_form=earlier_form,
        organization_form=organization_form or _organization_form(),
        import_form=import_form or InvitationImportForm(), import_result=result,
    ), code


@bp.route("/events/<slug>/invitations.<any(csv, xlsx):fmt>")
@staff_required
def export(slug: str, fmt: str):
    """The invitation list as a spreadsheet."""
    event = event_for_staff(slug)
    rows = queries.invitation_list(event.id, queries.InvitationFilter.from_args(request.args))
    if fmt == "csv":
        body, mimetype = registrations_csv(rows, COLUMNS, event.zone), "text/csv"
    else:
        body = registrations_xlsx(rows, COLUMNS, event.zone, title="Invitations")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="invitations-{event.slug}.{fmt}"'
    return response


@bp.route("/events/<slug>/invitations/from-directory", methods=["POST"])
@staff_required
def add_from_directory(slug: str):
    """Invite everyone whose organization matches a kind and a sector."""
    event = event_for_staff(slug)
    form = DirectoryFilterForm()
    if not form.validate_on_submit():
        abort(400)
    people = service.people_in_directory(kind=OrganizationKind(form.kind.data) if form.kind.data else None,
                                         sector=Sector(form.sector.data) if form.sector.data else None)
    created = service.invite_people(event, people)
    db.session.commit()
    flash(f"{len(created)} invited ({len(people) - len(created)} of those found were already invited).",
          "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/from-event", methods=["POST"])
@staff_required
def add_from_event(slug: str):
    """Invite the participants of an earlier event of the series."""
    event = event_for_staff(slug)
    form = EarlierEventForm()
    form.earlier_event_id.choices = [(e.id, e.title) for e in event.series.events if e.id != event.id]
    if not form.validate_on_submit():
        abort(400)
    people = service.attendees_of(db.session.get(Event, form.earlier_event_id.data))
    created = service.invite_people(event, people)
    db.session.commit()
    flash(f"{len(created)} invited ({len(people) - len(created)} were already invited).", "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/import", methods=["POST"])
@staff_required
def import_file(slug: str):
    """Invite the people of a CSV/XLSX file; any error and nothing is written."""
    event = event_for_staff(slug)
    form = InvitationImportForm()
    if not form.validate_on_submit():
        return _dashboard(event, import_form=form, code=400)
    upload = form.file.data
    try:
        result, created = service.import_invitations(event, upload.read(), upload.filename or "")
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _dashboard(event, import_form=form, code=400)
    if result.errors:
        db.session.rollback()
        return _dashboard(event, import_form=form, result=result, code=400)
    db.session.commit()
    new_people = counted(result.people_created, "new person", "new people")
    flash(f"{len(created)} invited from the file; {new_people} in the directory.", "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/add", methods=["POST"])
@staff_required
def add_people(slug: str):
    """Invite people of the directory by their email addresses."""
    event = event_for_staff(slug)
    form = AddPeopleForm()
    if not form.validate_on_submit():
        abort(400)
    keys = {normalize_email(line) for line in form.emails.data.splitlines() if line.strip()}
    people = db.session.scalars(select(Person).where(Person.email_key.in_(keys))).all()
    unknown = keys - {person.email_key for person in people}
    created = service.invite_people(event, people)
    db.session.commit()
    flash(f"{len(created)} invited.", "success")
    if unknown:
        flash("Not in the directory (add them there first): " + ", ".join(sorted(unknown)), "error")
    return redirect(url_for("invitations.dashboard", slug=slug))


def _organization_form() -> OrganizationInvitationForm:
    return OrganizationInvitationForm(organization_choices=organization_choices())


@bp.route("/events/<slug>/invitations/organizations", methods=["POST"])
@staff_required
def add_organization(slug: str):
    """Invite an organization with a number of seats; its contact names the delegates."""
    event = event_for_staff(slug)
    form = _organization_form()
    if not form.validate_on_submit():
        return _dashboard(event, organization_form=form, code=400)
    organization = db.session.get(Organization, int(form.organization_id.data))
    try:
        contact = service.find_or_add_contact(organization, email=form.contact_email.data,
                                              given_name=form.contact_given_name.data or "",
                                              family_name=form.contact_family_name.data or "")
        service.invite_organization(event, organization, seats=form.seats.data, contact=contact)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error, {"email": "contact_email", "given_name": "contact_given_name",
                                        "family_name": "contact_family_name"})
        return _dashboard(event, organization_form=form, code=400)
    db.session.commit()
    flash(f"{organization.name} invited with {form.seats.data} seats; {contact.full_name} names the "
          "delegates.", "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/template", methods=["GET", "POST"])
@staff_required
def edit_template(slug: str):
    """The invitation mail with its placeholders, and a preview."""
    event = event_for_staff(slug)
    template = service.template_for(event)
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            template = service.save_template(event, subject=form.subject.data, body=form.body.data,
                                             answer_deadline=form.answer_deadline.data,
                                             attach_calendar=form.attach_calendar.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Template saved.", "success")
            return redirect(url_for("invitations.edit_template", slug=slug))
    preview = None if form.errors or form.form_errors else service.preview(event, template)
    return render_template("invitations/template.html", event=event, form=form, preview=preview,
                           placeholders=service.PLACEHOLDERS), 400 if form.errors or form.form_errors else 200


@bp.route("/events/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@staff_required
def revoke(slug: str, invitation_id: int):
    event = event_for_staff(slug)
    service.revoke_link(_invitation(event, invitation_id))
    db.session.commit()
    flash("Link revoked.", "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/<int:invitation_id>/reissue", methods=["POST"])
@staff_required
def reissue(slug: str, invitation_id: int):
    event = event_for_staff(slug)
    service.reissue_link(_invitation(event, invitation_id), sender=_sender())
    db.session.commit()
    flash("A new link was sent; the old one no longer works.", "success")
    return redirect(url_for("invitations.dashboard", slug=slug))


@bp.route("/events/<slug>/invitations/<int:invitation_id>/seats", methods=["POST"])
@staff_required
def change_seats(slug: str, invitation_id: int):
    """Give an invited organization more or fewer seats."""
    event = event_for_staff(slug)
    invitation = _invitation(event, invitation_id)
    form = SeatsForm()
    back = redirect(url_for("invitations.dashboard", slug=slug))
    if not form.validate_on_submit():
        flash(" ".join(message for errors in form.errors.values() for message in errors), "error")
        return back
    try:
        service.change_seats(invitation, form.seats.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    flash(f"{invitation.organization.name} now has {counted(invitation.seats, 'seat')}.", "success")
    return back


@bp.route("/rsvp/<token>", methods=["GET", "POST"])
def rsvp(token: str):
    """The invitee's page: accept (→ registration), decline or answer tentatively."""
    invitation = service.invitation_for_token(token)
    if invitation is None:
        return render_template("invitations/rsvp_invalid.html"), 404
    form = AnswerForm()
    if invitation.organization_id is not None:
        form.address_organization()
    if form.validate_on_submit():
        status = InvitationStatus(form.answer.data)
        try:
            service.answer(invitation, status, reason=form.reason.data or "")
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if status is InvitationStatus.ACCEPTED and invitation.organization_id is not None:
                flash("Thank you. Now name your delegates.", "success")
                return redirect(url_for("invitations.rsvp", token=token, _anchor="delegates"))
            if status is InvitationStatus.ACCEPTED:
                return redirect(url_for("registry.register", slug=invitation.event.slug, token=token))
            flash("Thank you: your answer is recorded. You may change it until the deadline.", "success")
            return redirect(url_for("invitations.rsvp", token=token))
    return _rsvp_page(invitation, token, form)


def _rsvp_page(invitation: Invitation, token: str, form: AnswerForm):
    delegates = registration.delegates(invitation) if invitation.organization_id is not None else []
    return render_template("invitations/rsvp.html", invitation=invitation, event=invitation.event, form=form,
                           token=token, deadline=service.template_for(invitation.event).answer_deadline,
                           answer_open=service.answer_open(invitation), delegates=delegates), \
        400 if form.errors or form.form_errors else 200


@bp.route("/rsvp/<token>/delegates/<int:registration_id>/withdraw", methods=["POST"])
def withdraw_delegate(token: str, registration_id: int):
    """The organization's contact withdraws a delegate; the seat can be named again."""
    invitation = service.invitation_for_token(token)
    if invitation is None or invitation.organization_id is None:
        return render_template("invitations/rsvp_invalid.html"), 404
    try:
        service.withdraw_delegate(invitation, registration_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("The delegate is withdrawn and told so; the seat is free.", "success")
    return redirect(url_for("invitations.rsvp", token=token, _anchor="delegates"))


# The mass actions on the list (counted, confirmed, undoable) are in their own module.
from eventmgr.invitations import mass_views  # noqa: E402, F401
