"""Plain helpers the notifications page tests share."""

from django.urls import reverse

LIST = reverse("notifications:list")


def text(response) -> str:
    return response.content.decode()
