from django.urls import reverse

from content.models import NewsIndexPage, NewsPage, PublicationPage

SEARCH_QUERIES = 5


def test_it_shows_an_empty_state_before_a_search(client, home):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "Enter a word or phrase" in response.content.decode()
    assert response.context["result_count"] == 0


def test_it_finds_a_seeded_publication(client, home):
    guide = PublicationPage.objects.get(reference="SCIE Guide 24")
    response = client.get(reverse("search"), {"q": "handbook"})
    html = response.content.decode()
    assert response.status_code == 200
    assert guide in list(response.context["results"])
    assert f'<a href="{guide.url}">' in html
    assert "result for “handbook”" in html or "results for “handbook”" in html


def test_it_says_when_nothing_matches(client, home):
    response = client.get(reverse("search"), {"q": "xylophone"})
    html = response.content.decode()
    assert "No results for “xylophone”" in html
    assert response.context["result_count"] == 0


def test_it_leaves_out_draft_pages(client, home):
    index = NewsIndexPage.objects.get()
    index.add_child(instance=NewsPage(title="Secret zeppelin plans", intro="Draft.", live=False))
    response = client.get(reverse("search"), {"q": "zeppelin"})
    assert response.context["result_count"] == 0


def test_it_paginates_results(client, home):
    index = NewsIndexPage.objects.get()
    for number in range(13):
        index.add_child(instance=NewsPage(title=f"Kestrel update {number}", intro="Kestrel news."))
    first = client.get(reverse("search"), {"q": "kestrel"})
    assert first.context["result_count"] == 13
    assert len(first.context["results"]) == 10
    assert "?q=kestrel&amp;page=2" in first.content.decode()
    second = client.get(reverse("search"), {"q": "kestrel", "page": 2})
    assert len(second.context["results"]) == 3
    assert 'start="11"' in second.content.decode()


def test_it_keeps_the_search_query_count_constant(client, home, django_assert_num_queries):
    index = NewsIndexPage.objects.get()
    index.add_child(instance=NewsPage(title="Osprey 0", intro="Osprey news."))
    # The first request after a cache clear also fills caches that later ones read.
    client.get(reverse("search"), {"q": "osprey"})
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("search"), {"q": "osprey"})
    assert response.context["result_count"] == 1
    for number in range(1, 15):
        index.add_child(instance=NewsPage(title=f"Osprey {number}", intro="Osprey news."))
    client.get(reverse("search"), {"q": "osprey"})  # the menu is drawn again after a publish
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(reverse("search"), {"q": "osprey"})
    assert response.context["result_count"] == 15
