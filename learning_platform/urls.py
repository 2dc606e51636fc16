from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accreditation import public_urls as accreditation_public_urls
from accreditation.views import credentials as accreditation_credentials
from content import views as content_views
from content.models import LegalPageKind

from . import views

urlpatterns = [
    # Both admin logins go through allauth, so no login bypasses its rate limits or MFA.
    path("admin/login/", views.to_allauth_login, name="wagtailadmin_login_redirect"),
    path("django-admin/login/", views.django_admin_login, name="django_admin_login_redirect"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("learning_platform.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("learning/", include("courses.urls")),
    path("accreditation/", include("accreditation.urls")),
    path("verify/", include(accreditation_public_urls.verify_urlpatterns)),
    path("register/", include(accreditation_public_urls.register_urlpatterns)),
    path("credentials/", include(accreditation_public_urls.credential_urlpatterns)),
    path(".well-known/jwks.json", accreditation_credentials.jwks, name="credential_jwks"),
    path("notifications/", include("notifications.urls")),
    path("search/", content_views.search, name="search"),
    # The footer's links to the legal pages: each finds the live page of its kind.
    *(
        path(f"legal/{kind}/", content_views.legal_page, {"kind": kind}, name=f"legal_{kind}")
        for kind in LegalPageKind.values
    ),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
