from urllib.parse import quote

from wagtail.models import Page, PageViewRestriction, Site

import pytest

from content.models import (
    EnquiryFormPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProgrammePhase,
    ProgrammePhasePage,
    PublicationIndexPage,
    PublicationPage,
    PublicationType,
    StandardPage,
)
from learning_platform import public_cache

HOME_QUERIES = 12
SIGNED_IN_HOME_QUERIES = 19
PAGE_TEMPLATES = {
    HomePage: "content/home_page.html",
    StandardPage: "content/standard_page.html",
    ProgrammePhasePage: "content/programme_phase_page.html",
    PublicationIndexPage: "content/publication_index_page.html",
    PublicationPage: "content/publication_page.html",
    NewsIndexPage: "content/news_index_page.html",
    NewsPage: "content/news_page.html",
    EnquiryFormPage: "content/enquiry_form_page.html",
}


def templates_used(response) -> list[str]:
    return [template.name for template in response.templates]


def test_it_makes_the_home_page_the_site_root(home):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()


@pytest.mark.parametrize("model", list(PAGE_TEMPLATES))
def test_it_routes_and_renders_every_page_type(client, home, model):
    pages = model.objects.live()
    assert pages.exists(), f"the demo site has no {model.__name__}"
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert PAGE_TEMPLATES[model] in templates_used(response)
        assert "base.html" in templates_used(response)
        assert f"<h1>{page.title}</h1>".replace("'", "&#x27;") in response.content.decode()


def test_it_lists_menu_pages_in_the_main_navigation(client, home):
    menu_titles = [page.title for page in home.get_children().live().in_menu()]
    assert {"About the programme", "Publications", "What’s new", "Contact us"} <= set(menu_titles)
    html = client.get("/").content.decode()
    nav = html[
        html.index('aria-label="Main"') : html.index("</nav>", html.index('aria-label="Main"'))
    ]
    for title in menu_titles:
        assert title in nav


def test_it_marks_the_current_section_in_the_navigation(client, home):
    publication = PublicationPage.objects.get(reference="SCIE Report 49")
    html = client.get(publication.url).content.decode()
    assert '<a href="/publications/" aria-current="page">Publications</a>' in html


def test_it_shows_breadcrumbs_on_inner_pages(client, home):
    phase = ProgrammePhasePage.objects.get(phase_number=ProgrammePhase.EVIDENCE_BASE)
    html = client.get(phase.url).content.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert '<a href="/programme/">About the programme</a>' in html
    assert f'<li aria-current="page">{phase.title}</li>' in html


def test_it_adds_plain_share_links_with_the_encoded_page_url(client, home):
    news = NewsPage.objects.get(slug="london-boards-interim-report")
    html = client.get(news.url).content.decode()
    encoded = quote(f"http://testserver{news.url}", safe="")
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={encoded}" in html
    assert f"https://x.com/intent/tweet?url={encoded}" in html
    assert f"mailto:?subject={quote(news.title, safe='')}&amp;body={encoded}" in html
    assert "<script" not in html
    assert "style=" not in html


def test_it_lists_a_phases_publications_on_its_page(client, home):
    phase = ProgrammePhasePage.objects.get(phase_number=ProgrammePhase.ADAPTED_MODEL)
    html = client.get(phase.url).content.decode()
    guide = PublicationPage.objects.get(reference="SCIE Guide 24")
    assert guide.url in html
    assert "SCIE Report 6" not in html


def test_it_shows_current_and_previous_work_on_the_home_page(client, home):
    response = client.get("/")
    current = [phase.phase_number for phase in response.context["current_phases"]]
    previous = [phase.phase_number for phase in response.context["previous_phases"]]
    assert current == [4]
    assert previous == [1, 2, 3]
    assert [news.date for news in response.context["latest_news"]] == sorted(
        NewsPage.objects.values_list("date", flat=True), reverse=True
    )[:3]


def test_it_filters_the_publications_library_by_type(client, home):
    index = PublicationIndexPage.objects.get()
    response = client.get(index.url, {"type": PublicationType.GUIDE})
    listed = [publication.reference for publication in response.context["publications"]]
    assert listed == ["SCIE Guide 24"]

    everything = client.get(index.url, {"type": "nonsense"})
    assert len(everything.context["publications"]) == PublicationPage.objects.live().count()


def test_it_paginates_the_news_index(client, home):
    index = NewsIndexPage.objects.get()
    for number in range(12):
        index.add_child(instance=NewsPage(title=f"Extra news {number}", intro="More news."))
    first = client.get(index.url)
    assert len(first.context["news_items"]) == 10
    assert 'rel="next"' in first.content.decode()
    second = client.get(index.url, {"page": 2})
    assert len(second.context["news_items"]) == NewsPage.objects.live().count() - 10


def test_it_hides_draft_and_private_pages(client, home):
    index = NewsIndexPage.objects.get()
    draft = NewsPage(title="Unpublished plans", intro="Not yet.", live=False)
    index.add_child(instance=draft)
    private = NewsPage.objects.get(slug="vcs-grant-award")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    home_html = client.get("/").content.decode()
    assert "Unpublished plans" not in home_html
    assert private.title not in home_html
    assert client.get(draft.url or "/whats-new/unpublished-plans/").status_code == 404


def test_it_rejects_a_second_page_for_the_same_phase(home):
    from django.core.exceptions import ValidationError

    programme = StandardPage.objects.get(slug="programme")
    duplicate = ProgrammePhasePage(
        title="Phase 1 again", phase_number=ProgrammePhase.PRELIMINARY_EXPLORATIONS
    )
    with pytest.raises(ValidationError, match="already describes this phase"):
        programme.add_child(instance=duplicate)


def test_it_keeps_the_home_page_query_count_constant(client, home, django_assert_num_queries):
    client.get("/")  # warm the site-root cache, as any running server has
    public_cache.invalidate(public_cache.PAGES)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    index = NewsIndexPage.objects.get()
    for number in range(20):
        index.add_child(instance=NewsPage(title=f"More news {number}", intro="Another item."))
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200


def test_it_runs_as_many_queries_for_many_news_items_as_for_few(
    client, home, tess, django_assert_num_queries
):
    # Signed in, the page also reads the session, the user and what the header shows her.
    client.force_login(tess)
    client.get("/")
    with django_assert_num_queries(SIGNED_IN_HOME_QUERIES):
        assert client.get("/").status_code == 200
    index = NewsIndexPage.objects.get()
    for number in range(10):
        index.add_child(instance=NewsPage(title=f"Further news {number}", intro="Another item."))
    client.get("/")  # the menu is drawn again after a publish
    with django_assert_num_queries(SIGNED_IN_HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert "Tess" in response.content.decode()
