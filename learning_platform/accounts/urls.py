from django.urls import path

from . import views
from .personal_data import views as personal_data_views

urlpatterns = [
    # Shadows allauth's pattern of the same name and address (included after this file).
    path("password/change/", views.password_change, name="account_change_password"),
    path("profile/", views.profile, name="accounts_profile"),
    path("profile/data/", personal_data_views.data_export, name="accounts_data_export"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
]
