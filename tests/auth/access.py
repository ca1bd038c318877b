from tests.access import ADMIN_ONLY, PUBLIC, SIGNED_IN, Access, post

POLICY = {
    "auth.login": Access(PUBLIC),
    "auth.logout": post(SIGNED_IN),
    "auth.users": Access(ADMIN_ONLY),
    "auth.create_user": post(ADMIN_ONLY),
    "auth.change_role": post(ADMIN_ONLY),
}
