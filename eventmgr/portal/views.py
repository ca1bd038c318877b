"""The participant area of an event, and a person's own data."""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from eventmgr.agenda import queries as agenda_queries
from eventmgr.agenda.models import AgendaSession
from eventmgr.auth.decorators import login_required, staff_required
from eventmgr.errors import DomainError
from eventmgr.extensions import db, login_manager
from eventmgr.formtools import show_domain_error
from eventmgr.portal import queries, service
from eventmgr.portal.enums import DataRequestKind, DataRequestStatus, PostKind
from eventmgr.portal.forms import DecisionForm, DeletionForm, ListingForm, PostForm, ReplyForm, UploadForm
from eventmgr.portal.markdown import render_markdown
from eventmgr.portal.models import DataRequest, Document, Post
from eventmgr.registry.models import Registration
from eventmgr.series.models import Event
from eventmgr.templating import counted

bp = Blueprint("portal", __name__)
bp.add_app_template_filter(render_markdown, "markdown")


def upload_dir() -> Path:
    return Path(current_app.instance_path) / "uploads"


def area_view(view):
    """Load the event; anonymous visitors go to the login page, non-members get a 403."""

    @wraps(view)
    def wrapped(slug: str, **kwargs):
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            abort(404)
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not service.can_enter_area(current_user, event):
            abort(403)
        g.event = event
        return view(event, **kwargs)

    return wrapped


def _sessions(event: Event) -> list[AgendaSession]:
    return list(db.session.scalars(select(AgendaSession).where(AgendaSession.event_id == event.id)
                                   .order_by(*agenda_queries.PROGRAMME_ORDER)))


@bp.route("/events/<slug>/area")
@area_view
def area(event: Event):
    """The area's home: agenda, documents, directory, posts."""
    return render_template("portal/area.html", event=event)


def _upload_form(event: Event) -> UploadForm:
    form = UploadForm()
    sessions = [s for s in _sessions(event) if service.can_upload(current_user, event, s)]
    form.session_id.choices = ([(0, "The whole event")] if current_user.manages(event.series_id) else []) + [
        (s.id, s.title) for s in sessions]
    return form


@bp.route("/events/<slug>/area/documents")
@area_view
def documents(event: Event):
    """The event's documents, and an upload form for organizers and speakers."""
    form = _upload_form(event)
    return render_template("portal/documents.html", event=event, documents=queries.documents(event),
                           form=form if form.session_id.choices else None)


@bp.route("/events/<slug>/area/documents", methods=["POST"])
@area_view
def upload(event: Event):
    """Upload a document for the event or one of its sessions."""
    form = _upload_form(event)
    if form.validate_on_submit():
        session = None
        if form.session_id.data:
            session = db.session.get(AgendaSession, form.session_id.data)
        file = form.file.data
        try:
            service.upload_document(event, uploader=current_user, filename=file.filename or "",
                                    data=file.read(current_app.config["UPLOAD_MAX_BYTES"] + 1),
                                    upload_dir=upload_dir(), session=session,
                                    max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{file.filename} is uploaded.", "success")
            return redirect(url_for("portal.documents", slug=event.slug))
    return render_template("portal/documents.html", event=event, documents=queries.documents(event),
                           form=form), 400


@bp.route("/events/<slug>/area/documents/<int:document_id>")
@area_view
def download(event: Event, document_id: int):
    """A document of this event, as an attachment under its original name."""
    document = db.session.get(Document, document_id)
    if document is None or document.event_id != event.id:
        abort(404)
    if not (upload_dir() / document.stored_name).is_file():
        # E.g. a database restored without its uploads folder: say so rather than fail.
        current_app.logger.error("Document %s: stored file %s is missing", document.id, document.stored_name)
        abort(404, description="This document's file is missing on the server. Please tell the organizers.")
    response = send_file(upload_dir() / document.stored_name, mimetype=document.content_type,
                         as_attachment=True, download_name=document.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/events/<slug>/area/directory")
@area_view
def directory(event: Event):
    """Registrants who agreed to be listed; contact details only for those who share them."""
    own = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == current_user.person_id))
    form = ListingForm(listed=own.consent_to_list, share_contact=own.share_contact) if own else None
    q = request.args.get("q", "").strip()[:200]
    return render_template("portal/directory.html", event=event, registrations=queries.directory(event, q),
                           form=form, q=q)


@bp.route("/events/<slug>/area/directory", methods=["POST"])
@area_view
def set_listing(event: Event):
    """Choose whether one appears in this event's directory, and with which details."""
    form = ListingForm()
    if form.validate_on_submit():
        try:
            service.set_listing(event, current_user.person_id, listed=form.listed.data,
                                share_contact=form.share_contact.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Your directory entry is saved.", "success")
    return redirect(url_for("portal.directory", slug=event.slug))


def _render_posts(event: Event, form: PostForm, status: int = 200):
    if current_user.manages(event.series_id):
        # A mailing to many: the box says to how many before anyone ticks it.
        recipients = counted(service.announcement_recipients(event), "confirmed participant")
        form.announcement.label.text = f"Announcement: also email it to the {recipients}"
    return render_template("portal/posts.html", event=event, posts=queries.posts(event), form=form,
                           reply_form=ReplyForm()), status


@bp.route("/events/<slug>/area/posts")
@area_view
def posts(event: Event):
    """Announcements and posts, newest first, with their replies."""
    return _render_posts(event, PostForm())


@bp.route("/events/<slug>/area/posts", methods=["POST"])
@area_view
def create_post(event: Event):
    """Post a message, or (organizers) an announcement mailed to the participants."""
    form = PostForm()
    if form.validate_on_submit():
        kind = PostKind.ANNOUNCEMENT if form.announcement.data else PostKind.POST
        try:
            service.create_post(event, author=current_user, body=form.body.data, kind=kind)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, {"kind": "announcement"})
        else:
            db.session.commit()
            flash("Your announcement is posted and mailed." if kind is PostKind.ANNOUNCEMENT
                  else "Your message is posted.", "success")
            return redirect(url_for("portal.posts", slug=event.slug))
    return _render_posts(event, form, 400)


@bp.route("/events/<slug>/area/posts/<int:post_id>/replies", methods=["POST"])
@area_view
def reply(event: Event, post_id: int):
    """Reply to a post of this event."""
    parent = db.session.get(Post, post_id)
    if parent is None or parent.event_id != event.id:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            service.create_post(event, author=current_user, body=form.body.data, parent=parent)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Your reply is posted.", "success")
            return redirect(url_for("portal.posts", slug=event.slug, _anchor=f"post-{parent.id}"))
    else:
        flash("Write a reply before sending it.", "error")
    return redirect(url_for("portal.posts", slug=event.slug, _anchor=f"post-{parent.id}"))


@bp.route("/events/<slug>/area/requests")
@staff_required
@area_view
def requests(event: Event):
    """Open deletion requests of this event's registrants."""
    return render_template("portal/requests.html", event=event, requests=queries.open_requests(event),
                           form=DecisionForm())


@bp.route("/events/<slug>/area/requests/<int:request_id>", methods=["POST"])
@staff_required
@area_view
def decide(event: Event, request_id: int):
    """Approve (anonymise the person) or reject a deletion request."""
    data_request = db.session.get(DataRequest, request_id)
    if data_request is None or data_request not in queries.open_requests(event):
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    service.decide_request(data_request, actor=current_user, approve=form.decision.data == "approve")
    db.session.commit()
    flash("The person's data is anonymised." if data_request.status is DataRequestStatus.APPROVED
          else "The request is rejected.", "success")
    return redirect(url_for("portal.requests", slug=event.slug))


# ---------------------------------------------------------------- own data

def _own_person():
    if current_user.person is None:
        abort(404)
    return current_user.person


@bp.route("/me/data")
@login_required
def my_data():
    """Download one's data, or ask for its deletion."""
    person = _own_person()
    pending = db.session.scalar(select(DataRequest).where(
        DataRequest.person_id == person.id, DataRequest.kind == DataRequestKind.DELETION,
        DataRequest.status == DataRequestStatus.REQUESTED))
    return render_template("portal/my_data.html", person=person, pending=pending, form=DeletionForm())


@bp.route("/me/data.json")
@login_required
def my_data_json():
    """Everything held on the signed-in person, as JSON."""
    data = service.export_person_data(_own_person())
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-data.json"'})


@bp.route("/me/data/deletion", methods=["POST"])
@login_required
def request_deletion():
    """Ask the organizers to delete one's data."""
    person = _own_person()
    if DeletionForm().validate_on_submit():
        service.request_deletion(person)
        db.session.commit()
        flash("Your request is sent to the organizers.", "success")
    return redirect(url_for("portal.my_data"))
