from django.urls import path

from . import views
from .personal_data import views as personal_data_views

urlpatterns = [
    path("profile/", views.profile, name="accounts_profile"),
    path("profile/data/", personal_data_views.data_export, name="accounts_data_export"),
]
