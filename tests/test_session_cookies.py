"""The session cookie's signer is made once per secret key, and a new key is used at once."""

import pytest
from itsdangerous import BadSignature

from eventmgr.auth.enums import Role


def test_the_session_signer_is_made_once_per_secret_key(make_app):
    app = make_app(SECRET_KEY="the key of the session signer test")  # an app of this test's own
    interface = app.session_interface
    signer = interface.get_signing_serializer(app)
    signed = signer.dumps({"_user_id": "1"})

    same = interface.get_signing_serializer(app)
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a new secret key of the deployment"
    rotated = interface.get_signing_serializer(app)
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    with_fallback = interface.get_signing_serializer(app)

    assert same is signer
    assert rotated is not signer
    with pytest.raises(BadSignature):
        rotated.loads(signed)
    assert with_fallback.loads(signed) == {"_user_id": "1"}


def test_a_signed_in_session_is_read_on_every_request(client, auth, app_ctx):
    auth.login(Role.ORGANIZER)
    assert client.get("/organizations").status_code == 200
    assert client.get("/people").status_code == 200
