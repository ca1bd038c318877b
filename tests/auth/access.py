from tests.access import ADMIN_ONLY, PUBLIC, SIGNED_IN, Access, post

POLICY = {
    "auth.login": Access(PUBLIC),
    "auth.logout": post(SIGNED_IN),
    "auth.users": Access(ADMIN_ONLY),
    "auth.create_user": post(ADMIN_ONLY),
    "auth.change_role": post(ADMIN_ONLY),
    "auth.set_password": Access(PUBLIC, ok=(404,), values={"token": "not-a-token"}),
    "auth.reset": Access(PUBLIC),
    # Only accounts linked to a person have details to edit; the others get a 404.
    "auth.profile": Access(SIGNED_IN, ok=(200, 404)),
}
