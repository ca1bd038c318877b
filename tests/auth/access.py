from tests.access import ADMIN_ONLY, PUBLIC, SIGNED_IN, Access, post

POLICY = {
    "auth.login": Access(PUBLIC),
    "auth.logout": post(SIGNED_IN),
    "auth.users": Access(ADMIN_ONLY),
    "auth.create_user": post(ADMIN_ONLY),
    "auth.change_role": post(ADMIN_ONLY),
    "auth.end_user_sessions": post(ADMIN_ONLY),
    "auth.grant": post(ADMIN_ONLY),
    "auth.revoke": post(ADMIN_ONLY, grant_id=999999),
    "auth.set_password": Access(PUBLIC, ok=(404,), values={"token": "not-a-token"}),
    "auth.reset": Access(PUBLIC),
    "auth.profile": Access(SIGNED_IN),
    "auth.change_password": post(SIGNED_IN),
    "auth.end_session": post(SIGNED_IN, session_id=999999),
    "auth.sign_out_everywhere": post(SIGNED_IN),
}
