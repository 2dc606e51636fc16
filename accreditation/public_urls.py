"""Public routes, mounted at /verify/ and /register/ by the project URLs."""

from django.urls import path

from .views import public, register

verify_urlpatterns = [
    path("", public.verify, name="certificate_verify"),
    path("<str:code>/", public.verify_code, name="certificate_verify_code"),
]

register_urlpatterns = [
    path("", public.register, name="public_register"),
    path("<str:number>/contact/", register.contact, name="public_register_contact"),
]
