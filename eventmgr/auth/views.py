"""Login, logout and the admin's user list."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from eventmgr.auth import accounts, service
from eventmgr.auth.decorators import login_required, roles_required
from eventmgr.auth.enums import Role
from eventmgr.auth.forms import LoginForm, ProfileForm, ResetRequestForm, RoleForm, SetPasswordForm, UserForm
from eventmgr.auth.models import User
from eventmgr.errors import DomainError
from eventmgr.extensions import db, limiter, login_manager
from eventmgr.formtools import show_domain_error
from eventmgr.portal import queries as portal_queries

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see this page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative '//' or '\\'."""
    if not target:
        return url_for("series.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("series.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            # Same words for an unknown email and a wrong password.
            form.password.errors.append("The email or password is not correct.")
        else:
            db.session.commit()
            login_user(user)
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("series.home"))


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    """Every account with its role."""
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("auth/users.html", users=rows, role_form=RoleForm(), form=UserForm())


@bp.route("/users", methods=["POST"])
@roles_required(Role.ADMIN)
def create_user():
    """Create an account."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            service.create_user(form.email.data, role=Role(form.role.data),
                                password=form.password.data or None)
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Account {form.email.data} created.", "success")
            return redirect(url_for("auth.users"))
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("auth/users.html", users=rows, role_form=RoleForm(), form=form), 400


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    """Give an account another role."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if user.id == current_user.id:
            flash("You cannot change your own role.", "error")
        else:
            service.set_role(user, Role(form.role.data))
            db.session.commit()
            flash(f"{user.email} is now {user.role.label.lower()}.", "success")
    return redirect(url_for("auth.users"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a password through an emailed link (first password or reset)."""
    row = accounts.valid_token(token)
    if row is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password_with_token(row, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your password is set. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form), 200 if not form.errors else 400


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset():
    """Ask for a password-reset link; the answer never tells whether the email has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        flash("If an account uses this email, a link to reset its password is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 200 if not form.errors else 400


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Edit one's own details; earlier registrations keep their organization and state."""
    person = current_user.person
    if person is None:
        abort(404)
    form = ProfileForm(obj=person)
    if form.validate_on_submit():
        try:
            accounts.update_profile(person, honorific=form.honorific.data, given_name=form.given_name.data,
                                    family_name=form.family_name.data, position=form.position.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your details are saved.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, person=person,
                           events=portal_queries.member_events(person.id)), 200 if not form.errors else 400
