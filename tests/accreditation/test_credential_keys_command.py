"""`manage.py credential_keys`: a new key that signs, the current key's public half for the
previous keys after a rotation, and which keys sign and are published."""

import io

from django.core.management import call_command

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from joserfc.jwk import ECKey

from accreditation.services.credential_keys import issuer_keys

from .credential_builders import private_pem


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("credential_keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_makes_a_new_p256_private_key_and_names_its_kid():
    pem, note = _run("new")

    key = load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert key.curve.name == "secp256r1"
    # The kid goes to stderr, so `> issuer-key.pem` keeps the PEM alone.
    assert ECKey.import_key(pem).thumbprint() in note
    assert "kid" not in pem


def test_it_prints_the_current_keys_public_half_and_no_private_part(settings):
    settings.CREDENTIAL_SIGNING_KEY = private_pem(ec.generate_private_key(ec.SECP256R1()))
    settings.CREDENTIAL_PREVIOUS_KEYS = ""

    pem, _ = _run("public")

    assert "PRIVATE" not in pem
    public = load_pem_public_key(pem.encode())
    assert ECKey.import_key(pem).thumbprint() == issuer_keys().current_kid
    assert isinstance(public, ec.EllipticCurvePublicKey)


def test_it_shows_the_signing_kid_and_every_published_one(settings):
    old = private_pem(ec.generate_private_key(ec.SECP256R1()))
    new = private_pem(ec.generate_private_key(ec.SECP256R1()))
    settings.CREDENTIAL_SIGNING_KEY = new
    settings.CREDENTIAL_PREVIOUS_KEYS = old

    shown, _ = _run("show")

    new_kid, old_kid = ECKey.import_key(new).thumbprint(), ECKey.import_key(old).thumbprint()
    assert f"Signs new credentials: {new_kid}" in shown
    assert f"Published: {new_kid} (current)" in shown
    assert f"Published: {old_kid} (previous)" in shown
