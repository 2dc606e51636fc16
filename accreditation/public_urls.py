"""Public routes, mounted at /verify/, /register/ and /credentials/ by the project URLs (which
also serve the issuer's keys at /.well-known/jwks.json)."""

from django.urls import path

import learning_platform.converters  # noqa: F401 (registers <id:...>)

from .views import credentials, public, register

verify_urlpatterns = [
    path("", public.verify, name="certificate_verify"),
    path("credential/", credentials.check, name="credential_check"),
    path("<str:code>/", public.verify_code, name="certificate_verify_code"),
    path(
        "<str:code>/credential.json",
        credentials.credential_json,
        name="certificate_credential_json",
    ),
    path(
        "<str:code>/credential.jwt", credentials.credential_jwt, name="certificate_credential_jwt"
    ),
    path(
        "<str:code>/status.json",
        credentials.credential_status,
        name="certificate_credential_status",
    ),
]

credential_urlpatterns = [
    path("issuer.json", credentials.issuer_document, name="credential_issuer"),
    path("achievements/<id:pk>.json", credentials.achievement, name="credential_achievement"),
    path("status/<id:number>.jwt", credentials.status_list, name="credential_status_list"),
]

register_urlpatterns = [
    path("", public.register, name="public_register"),
    path("<str:number>/contact/", register.contact, name="public_register_contact"),
]
