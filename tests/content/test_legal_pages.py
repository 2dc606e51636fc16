"""The accessibility statement, the privacy notice and the cookies page: editable Wagtail pages
the demo seeds, linked from the footer of every page through addresses that work whether or
not an editor has published them."""

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from content.demo import seed_site
from content.models import LegalPage, LegalPageKind, NewsIndexPage, NewsPage
from learning_platform import public_cache

PRIVACY_QUERIES = 14
FOOTER_LINKS = {
    "legal_accessibility": "Accessibility statement",
    "legal_privacy": "Privacy notice",
    "legal_cookies": "Cookies",
}


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer"') :]


def _page(kind: str) -> LegalPage:
    return LegalPage.objects.get(kind=kind)


def _text(client, kind: str) -> str:
    response = client.get(_page(kind).url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_seeds_each_legal_page_once(home):
    seed_site()

    pages = LegalPage.objects.live().order_by("kind")
    assert [page.kind for page in pages] == sorted(LegalPageKind.values)
    assert all(page.get_parent().pk == home.pk for page in pages)
    assert not any(page.show_in_menus for page in pages)


def test_it_links_a_public_page_footer_to_each_legal_page(client, home):
    footer = _footer(client.get("/").content.decode())

    for name, label in FOOTER_LINKS.items():
        assert f'<a href="{reverse(name)}">{label}</a>' in footer
        response = client.get(reverse(name))
        kind = name.removeprefix("legal_")
        assert response.status_code == 302
        assert response["Location"] == _page(kind).url
        assert f"<h1>{_page(kind).title}</h1>" in client.get(response["Location"]).content.decode()


def test_it_links_a_signed_in_page_footer_to_each_legal_page(client, home, tess):
    client.force_login(tess)
    response = client.get(reverse("accounts_profile"))

    assert response.status_code == 200
    footer = _footer(response.content.decode())
    for name, label in FOOTER_LINKS.items():
        assert f'<a href="{reverse(name)}">{label}</a>' in footer


@pytest.mark.parametrize("name", FOOTER_LINKS)
def test_it_answers_a_footer_link_when_its_page_is_not_published(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{FOOTER_LINKS[name]}</h1>" in html
    assert "This page is not published at the moment." in html


def test_it_answers_a_footer_link_whose_page_was_unpublished(client, home):
    privacy = _page(LegalPageKind.PRIVACY)
    privacy.unpublish()

    response = client.get(reverse("legal_privacy"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This page is not published at the moment." in html
    assert 'href="/contact/"' in html  # where to ask instead


def test_it_follows_a_legal_page_that_an_editor_moved_or_renamed(client, home):
    cookies = _page(LegalPageKind.COOKIES)
    cookies.slug = "cookie-policy"
    cookies.save_revision().publish()

    assert client.get(reverse("legal_cookies"))["Location"] == "/cookie-policy/"


def test_it_refuses_a_second_page_of_the_same_kind(home):
    second = LegalPage(title="Another privacy notice", slug="privacy-2", kind="privacy")

    with pytest.raises(ValidationError, match="already the privacy notice"):
        home.add_child(instance=second)


def test_it_shows_when_a_legal_page_was_last_updated(client, home):
    page = _page(LegalPageKind.ACCESSIBILITY)

    html = _text(client, LegalPageKind.ACCESSIBILITY)

    assert f'Last updated <time datetime="{page.last_updated:%Y-%m-%d}">' in html


def test_it_states_accessibility_in_the_model_form(client, home):
    html = _text(client, LegalPageKind.ACCESSIBILITY)

    for part in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Commission for Northern Ireland",
        "Compliance status",
        "partially compliant with the",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "This statement was prepared on",
        "This website was last tested on",
        "axe-core",
        'href="/contact/"',
    ):
        assert part in html, part


def test_it_says_in_the_privacy_notice_what_the_platform_keeps_and_for_how_long(
    client, db, settings
):
    settings.EVIDENCE_RETENTION_DAYS = 200
    seed_site()

    html = _text(client, LegalPageKind.PRIVACY)

    for part in (
        "is the controller",
        "Lawful basis",
        "Evidence files are deleted 200 days after your application",
        "acknowledgement",
        "Download your data",
        "Have your data erased",
        "name was withdrawn at your request",
        "Information Commissioner’s Office (ICO)",
        "public register lists you only if you choose",
        f'href="{_page(LegalPageKind.COOKIES).url}"',
    ):
        assert part in html, part


def test_it_lists_every_cookie_the_site_sets_and_why_there_is_no_banner(client, home, tess):
    client.get("/contact/")  # a form: the CSRF cookie
    client.force_login(tess)
    client.get(reverse("accounts_profile"))

    html = _text(client, LegalPageKind.COOKIES)

    assert set(client.cookies)  # the visit set cookies
    for name in client.cookies:
        assert f"<h3>{name}</h3>" in html, name
    assert "<h3>messages</h3>" in html
    assert "no cookie banner" in html
    assert "expires after 2 hours" in html
    assert "signed out after 30 minutes without activity" in html
    assert f'href="{_page(LegalPageKind.PRIVACY).url}"' in html


def test_it_renders_the_privacy_notice_within_its_query_budget(
    client, home, django_assert_num_queries
):
    url = _page(LegalPageKind.PRIVACY).url
    client.get(url)
    public_cache.invalidate(public_cache.PAGES)

    # The page's own rows, the footer's navigation, and two for each paragraph's links to
    # other pages (Wagtail resolves them as it renders the paragraph); nothing grows with data.
    with django_assert_num_queries(PRIVACY_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).content == response.content

    index = NewsIndexPage.objects.get()
    for number in range(20):
        index.add_child(instance=NewsPage(title=f"More news {number}", intro="Another item."))
    with django_assert_num_queries(PRIVACY_QUERIES):
        assert client.get(url).status_code == 200
