"""Every page names the site's icon, and /favicon.ico (which browsers ask for whatever a page
says) answers with it instead of a 404."""

from django.contrib.staticfiles import finders

import pytest

pytestmark = pytest.mark.django_db


def test_it_answers_favicon_ico_with_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("icons/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("icons/favicon.ico")
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("persona", ["anonymous", "tess"])
def test_it_links_the_icons_from_every_page(client, tess, persona):
    if persona == "tess":
        client.force_login(tess)

    page = client.get("/search/").content.decode()

    for name, link in (
        ("icons/favicon.ico", '<link rel="icon" href="/static/icons/favicon.ico" sizes="48x48">'),
        (
            "icons/favicon.svg",
            '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">',
        ),
        (
            "icons/apple-touch-icon.png",
            '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">',
        ),
    ):
        assert link in page
        assert finders.find(name), name
