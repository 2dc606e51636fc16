"""The issuer's keys: the one that signs new credentials (ES256, P-256) and the ones used before a
rotation, which stay published so that what they signed still verifies. Each key's ``kid`` is its
RFC 7638 thumbprint, so it needs no configuration and never changes with the key.

The current key comes from settings as a PEM; production refuses to start without one. In
development and tests a key is made on first use and kept in private storage. Signing and
verification are joserfc's; nothing here touches a signature by hand.
"""

import functools
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from learning_platform.env import pem_blocks

ALGORITHM = "ES256"
# vc+jwt (VC-JOSE-COSE): the JWT's payload is the credential itself.
JWT_TYPE = "vc+jwt"
KEY_FILE_NAME = "signing/credential-issuer-key.pem"


class KeyConfigurationError(Exception):
    """A configured key cannot be used; the message says which and why."""


@dataclass(frozen=True)
class IssuerKeys:
    current: ECKey
    # Public keys only, the current one first: what the JWKS publishes.
    published: tuple[ECKey, ...]

    @property
    def current_kid(self) -> str:
        return self.current.kid

    def public_key(self, kid: str) -> ECKey | None:
        return next((key for key in self.published if key.kid == kid), None)


def _with_kid(key: ECKey, *, private: bool) -> ECKey:
    if key.curve_name != "P-256":
        raise KeyConfigurationError(f"Credential keys must be P-256 (ES256), not {key.curve_name}.")
    kid = key.thumbprint()
    return ECKey.import_key(
        key.as_dict(private=private), parameters={"kid": kid, "alg": ALGORITHM, "use": "sig"}
    )


@functools.lru_cache(maxsize=8)
def _keys(signing_pem: str, previous_pems: str) -> IssuerKeys:
    try:
        signing = ECKey.import_key(signing_pem)
    except (JoseError, ValueError, TypeError) as exc:
        raise KeyConfigurationError(
            "The credential signing key is not a P-256 key in PEM."
        ) from exc
    if not signing.is_private:
        raise KeyConfigurationError("The credential signing key must be a private key.")
    current = _with_kid(signing, private=True)
    published = [_with_kid(current, private=False)]
    blocks = pem_blocks(previous_pems)
    if (previous_pems or "").strip() and not blocks:
        raise KeyConfigurationError("CREDENTIAL_PREVIOUS_KEYS holds no key in PEM.")
    for _label, block in blocks:
        try:
            previous = _with_kid(ECKey.import_key(block), private=False)
        except (JoseError, ValueError, TypeError) as exc:
            raise KeyConfigurationError(
                "A key in CREDENTIAL_PREVIOUS_KEYS is not a P-256 key in PEM."
            ) from exc
        if all(previous.kid != key.kid for key in published):
            published.append(previous)
    return IssuerKeys(current=current, published=tuple(published))


def issuer_keys() -> IssuerKeys:
    return _keys(
        settings.CREDENTIAL_SIGNING_KEY or _stored_key_pem(), settings.CREDENTIAL_PREVIOUS_KEYS
    )


def _stored_key_pem() -> str:
    """Development's key, made on first use. Two processes may race to make it: storage never
    overwrites, so the loser deletes its copy and reads the one saved first."""
    storage = storages["private"]
    for _ in range(100):
        if not storage.exists(KEY_FILE_NAME):
            key = ECKey.generate_key("P-256", private=True)
            saved = storage.save(KEY_FILE_NAME, ContentFile(key.as_pem(private=True)))
            if saved != KEY_FILE_NAME:
                storage.delete(saved)
        with storage.open(KEY_FILE_NAME, "rb") as key_file:
            pem = key_file.read().decode("ascii")
        if "-----END" in pem:
            return pem
        time.sleep(0.05)  # the winner is still writing it
    raise OSError(f"{KEY_FILE_NAME} is incomplete.")


def jwks() -> dict:
    """The JSON Web Key Set: public keys only."""
    return {"keys": [key.as_dict(private=False) for key in issuer_keys().published]}


def canonical_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signed_payload(jwt: str) -> bytes:
    """What a compact JWS signs, read without checking the signature: for a JWT we signed and
    stored, or one whose signature is checked apart."""
    return jws.extract_compact(jwt.encode("ascii")).payload


def sign_credential(document: dict) -> str:
    """The document signed with the current key as a compact vc+jwt."""
    keys = issuer_keys()
    header = {"alg": ALGORITHM, "kid": keys.current_kid, "typ": JWT_TYPE}
    return jws.serialize_compact(
        header, canonical_json(document), keys.current, algorithms=[ALGORITHM]
    )
