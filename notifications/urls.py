from django.urls import path

import learning_platform.converters  # noqa: F401 (registers <id:...>)

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_mark_all_read, name="mark_all_read"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("<id:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("<id:pk>/open/", views.notification_open, name="open"),
]
