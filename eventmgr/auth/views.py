"""Login, logout, the account page with its sessions, and the admin's user list."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventmgr.auth import accounts, service, sessions, throttle
from eventmgr.auth.decorators import login_required, roles_required
from eventmgr.auth.enums import Role
from eventmgr.auth.forms import (
    ChangePasswordForm,
    GrantForm,
    LoginForm,
    ProfileForm,
    ResetRequestForm,
    RoleForm,
    SetPasswordForm,
    UserForm,
)
from eventmgr.auth.models import User
from eventmgr.errors import DomainError
from eventmgr.extensions import db, limiter, login_manager
from eventmgr.formtools import show_domain_error
from eventmgr.portal import queries as portal_queries
from eventmgr.redirects import safe_path
from eventmgr.series.models import Series

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see this page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Flask-Login's id is the server-side session's token: no live row, no user."""
    return sessions.load_session_user(session_token)


def sign_in(user: User) -> None:
    """A new server-side session for `user`, in a cookie session emptied of what came before."""
    session.clear()  # nothing from before the login carries over (ASVS 7.2.4)
    sessions.start_session(user, user_agent=request.user_agent.string, ip_address=request.remote_addr or "")
    db.session.commit()
    login_user(user)


def _refused(template: str, form, refusal: throttle.Refusal):
    return render_template(template, form=form), 429, {"Retry-After": str(refusal.retry_after)}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm(next=safe_path(request.args.get("next"), ""))
    if form.validate_on_submit():
        rules = throttle.login_rules(form.email.data, request.remote_addr or "")
        try:
            throttle.admit(rules)
        except throttle.Refusal as refusal:
            form.password.errors.append(refusal.message)
            return _refused("auth/login.html", form, refusal)
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            # Same words for an unknown email and a wrong password.
            form.password.errors.append("The email or password is not correct.")
        else:
            account_rule, address_rule = rules
            throttle.forgive(account_rule)
            throttle.forgive(address_rule, entirely=False)
            sign_in(user)
            return redirect(safe_path(form.next.data, url_for("series.home")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out: the session row goes, so a copy of the cookie no longer works either."""
    sessions.end_session(current_user.session_id, user=current_user)
    db.session.commit()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("series.home"))


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    """Every account with its role and the series it works on."""
    return _users_page(UserForm())


def _users_page(form: UserForm, grant_form: GrantForm | None = None):
    rows = db.session.scalars(select(User).options(selectinload(User.grants)).order_by(User.email)).all()
    grant_form = grant_form or GrantForm(formdata=None)
    grant_form.series_id.choices = _series_choices()
    return render_template("auth/users.html", users=rows, role_form=RoleForm(), form=form,
                           grant_form=grant_form, series_names=dict(grant_form.series_id.choices),
                           Role=Role)


def _series_choices() -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in db.session.scalars(select(Series).order_by(Series.name))]


@bp.route("/users/<int:user_id>/grants", methods=["POST"])
@roles_required(Role.ADMIN)
def grant(user_id: int):
    """Give an account organizer or rapporteur rights in a series."""
    user = db.get_or_404(User, user_id)
    form = GrantForm()
    form.series_id.choices = _series_choices()
    if form.validate_on_submit():
        try:
            service.grant_series_role(user, form.series_id.data, Role(form.role.data))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"{user.email} is {form.role.data} of {dict(form.series_id.choices)[form.series_id.data]}.",
                  "success")
    else:
        flash("Choose a series and the rights.", "error")
    return redirect(url_for("auth.users"))


@bp.route("/users/<int:user_id>/grants/<int:grant_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(user_id: int, grant_id: int):
    """Take an account's rights in a series away."""
    user = db.get_or_404(User, user_id)
    service.revoke_series_role(user, grant_id)
    db.session.commit()
    flash(f"Rights of {user.email} removed.", "success")
    return redirect(url_for("auth.users"))


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
    return _users_page(form), 400


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
            # Every earlier session of the account ended with the new password; this is its first.
            sign_in(row.user)
            flash("Your password is set and you are signed in.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/set_password.html", form=form), 200 if not form.errors else 400


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset():
    """Ask for a password-reset link; the answer never tells whether the email has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        from_address, to_account = throttle.reset_rules(form.email.data, request.remote_addr or "")
        try:
            throttle.admit([from_address])
        except throttle.Refusal as refusal:
            form.email.errors.append(refusal.message)
            return _refused("auth/reset.html", form, refusal)
        try:
            # Counted whether or not an account has the address: the answer and its time are the same.
            throttle.admit([to_account])
        except throttle.Refusal:
            pass  # a few links an hour are enough: more would only flood the owner's inbox
        else:
            accounts.request_password_reset(form.email.data)
            db.session.commit()
        flash("If an account uses this email, a link to reset its password is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 200 if not form.errors else 400


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The account page: one's own details (for accounts of a person), password and sessions."""
    person = current_user.person
    form = ProfileForm(obj=person)
    if person is not None and form.validate_on_submit():
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
    return _account_page(form=form), 200 if not form.errors else 400


def _account_page(*, form=None, password_form=None) -> str:
    person = current_user.person
    return render_template(
        "auth/profile.html", form=form or ProfileForm(obj=person, formdata=None), person=person,
        password_form=password_form or ChangePasswordForm(formdata=None),
        events=portal_queries.member_events(person.id) if person is not None else [],
        sessions=sessions.active_sessions(current_user), current_session_id=current_user.session_id)


@bp.route("/profile/password", methods=["POST"])
@login_required
def change_password():
    """Change one's password; one's other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data,
                                     keep_session=current_user.session_id)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your password is changed; your other sessions are signed out.", "success")
            return redirect(url_for("auth.profile"))
    return _account_page(password_form=form), 400


@bp.route("/profile/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    """Sign out one of one's other sessions (another browser, a lost phone)."""
    sessions.end_session(session_id, user=current_user)
    db.session.commit()
    if session_id == current_user.session_id:
        logout_user()
        return redirect(url_for("auth.login"))
    flash("That session is signed out.", "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/sessions/end", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session of one's account, this one included."""
    sessions.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash("You are signed out everywhere.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@roles_required(Role.ADMIN)
def end_user_sessions(user_id: int):
    """An admin ends every session of an account (e.g. a lost laptop, a departure)."""
    user = db.get_or_404(User, user_id)
    ended = sessions.end_sessions(user, keep=current_user.session_id if user.id == current_user.id else None)
    db.session.commit()
    flash(f"{ended} session{'s' if ended != 1 else ''} of {user.email} ended.", "success")
    return redirect(url_for("auth.users"))
