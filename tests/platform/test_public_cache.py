"""Anonymous visitors' public pages come from the shared cache, and every event that changes
what a page shows drops it at once (learning_platform/public_cache.py)."""

from django.urls import reverse

from wagtail.models import Site

import pytest

from accreditation.services import certificates as certificate_services
from accreditation.services.register import register_profile_update
from content.models import NewsIndexPage, NewsPage
from learning_platform import public_cache
from learning_platform.accounts.personal_data.erasure import user_erase
from tests.accreditation.register_builders import listed_holder

pytestmark = pytest.mark.django_db

REGISTER = reverse("public_register")


def _verify_url(certificate) -> str:
    return reverse("certificate_verify_code", args=[certificate.verification_code])


def _hit(client, url, django_assert_num_queries) -> str:
    """The page as the cache serves it: no query at all."""
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _drawn(client, url, django_assert_max_num_queries) -> str:
    """The page drawn afresh: it reads the database."""
    with django_assert_max_num_queries(100) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) > 0, "served from the cache, though the page had changed"
    return response.content.decode()


@pytest.fixture
def vic(db, ali):
    return listed_holder("Vic Valid", regions=("London",))


# What is kept, and for whom -------------------------------------------------------------------


def test_it_serves_the_second_anonymous_visitor_from_the_cache(
    client, home, django_assert_num_queries
):
    first = client.get("/")

    assert first.status_code == 200
    assert _hit(client, "/", django_assert_num_queries) == first.content.decode()


def test_it_keeps_the_headers_every_response_carries(client, home):
    drawn = client.get("/")
    served = client.get("/")

    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options"):
        assert served[header] == drawn[header]


def test_it_never_serves_a_signed_in_person_a_cached_page_nor_keeps_theirs(
    client, home, tess, django_assert_max_num_queries, django_assert_num_queries
):
    client.get("/")  # cached for anonymous visitors
    client.force_login(tess)

    signed_in = _drawn(client, "/", django_assert_max_num_queries)
    client.logout()
    anonymous = client.get("/").content.decode()

    assert "Tess" in signed_in
    assert "Tess" not in anonymous
    assert "Sign in" in anonymous


def test_it_draws_afresh_for_a_visitor_with_a_message_waiting(
    client, home, tess, django_assert_max_num_queries
):
    client.get("/")
    client.force_login(tess)
    client.post(reverse("account_logout"))
    assert "messages" in client.cookies

    html = _drawn(client, "/", django_assert_max_num_queries)

    assert "You have signed out." in html


def test_it_does_not_keep_a_register_search(client, vic, django_assert_max_num_queries):
    url = f"{REGISTER}?name=Vic"
    client.get(url)

    assert "Vic Valid" in _drawn(client, url, django_assert_max_num_queries)


def test_it_keeps_each_page_of_the_register_apart(client, vic, django_assert_num_queries):
    first = client.get(REGISTER).content.decode()
    second = client.get(f"{REGISTER}?page=2").content.decode()

    assert _hit(client, REGISTER, django_assert_num_queries) == first
    assert _hit(client, f"{REGISTER}?page=2", django_assert_num_queries) == second


def test_it_does_not_keep_a_page_with_a_form_token(
    client, contact_page, django_assert_max_num_queries
):
    client.get(contact_page.url)

    html = _drawn(client, contact_page.url, django_assert_max_num_queries)

    assert "csrfmiddlewaretoken" in html


def test_it_does_not_keep_a_page_that_is_not_found(client, home, django_assert_max_num_queries):
    client.get("/no-such-page/")

    with django_assert_max_num_queries(100) as queries:
        assert client.get("/no-such-page/").status_code == 404
    assert len(queries) > 0


def test_it_can_be_switched_off(client, home, settings, django_assert_max_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/")

    _drawn(client, "/", django_assert_max_num_queries)


# Pages: publish, unpublish, move, delete, site -----------------------------------------------


def _news(home) -> NewsIndexPage:
    return NewsIndexPage.objects.get()


def test_it_shows_a_published_change_on_the_next_request(
    client, home, django_assert_max_num_queries
):
    client.get("/")
    page = home.specific
    page.intro = "A new opening paragraph for the programme."
    page.save_revision().publish()

    assert "A new opening paragraph" in _drawn(client, "/", django_assert_max_num_queries)


def test_it_keeps_the_page_when_only_a_draft_is_saved(client, home, django_assert_num_queries):
    client.get("/")
    page = home.specific
    page.intro = "A draft nobody has published."
    page.save_revision()

    assert "A draft nobody has published" not in _hit(client, "/", django_assert_num_queries)


def test_it_drops_an_unpublished_page_from_the_listing(client, home, django_assert_max_num_queries):
    news = _news(home).add_child(instance=NewsPage(title="Phase four opens", intro="News."))
    assert "Phase four opens" in client.get("/").content.decode()

    news.unpublish()

    assert "Phase four opens" not in _drawn(client, "/", django_assert_max_num_queries)
    assert client.get(news.url).status_code == 404


def test_it_shows_a_page_added_live_and_drops_one_deleted(
    client, home, django_assert_max_num_queries
):
    client.get("/")
    news = _news(home).add_child(instance=NewsPage(title="Cohort twelve", intro="News."))

    assert "Cohort twelve" in _drawn(client, "/", django_assert_max_num_queries)

    news.delete()

    assert "Cohort twelve" not in _drawn(client, "/", django_assert_max_num_queries)


def test_it_follows_a_page_that_moves(client, home, django_assert_max_num_queries):
    news = _news(home).add_child(instance=NewsPage(title="Moving story", intro="News."))
    old_url = news.url
    client.get(old_url)

    news.move(home, pos="last-child")

    # The old address now leads to the new one (Wagtail's automatic redirect), not the old copy.
    new_url = NewsPage.objects.get(pk=news.pk).url
    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, new_url)
    assert "Moving story" in _drawn(client, new_url, django_assert_max_num_queries)


def test_it_draws_afresh_when_the_site_changes(client, home, django_assert_max_num_queries):
    client.get("/")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Learning Together (national)"
    site.save()

    _drawn(client, "/", django_assert_max_num_queries)


# Certificates: status, listing, holder, erasure -----------------------------------------------


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("certificate_suspend", "suspended"),
        ("certificate_revoke", "revoked"),
    ],
)
def test_it_shows_a_status_change_on_the_very_next_request(
    client, vic, ali, change, says, django_assert_max_num_queries
):
    url = _verify_url(vic)
    assert "This certificate is valid" in client.get(url).content.decode()

    getattr(certificate_services, change)(certificate=vic, by=ali, reason="Complaint upheld")

    html = _drawn(client, url, django_assert_max_num_queries)
    assert says in html.lower()
    assert "This certificate is valid" not in html


def test_it_shows_a_reinstatement_on_the_next_request(
    client, vic, ali, django_assert_max_num_queries
):
    certificate_services.certificate_suspend(certificate=vic, by=ali, reason="Complaint")
    client.get(_verify_url(vic))
    certificate_services.certificate_reinstate(certificate=vic, by=ali, reason="Cleared")

    assert "This certificate is valid" in _drawn(
        client, _verify_url(vic), django_assert_max_num_queries
    )


def test_it_lists_and_unlists_a_holder_on_the_register_at_once(
    client, vic, django_assert_max_num_queries
):
    assert "Vic Valid" in client.get(REGISTER).content.decode()

    certificate_services.certificate_set_listing(certificate=vic, holder=vic.holder, listed=False)
    assert "Vic Valid" not in _drawn(client, REGISTER, django_assert_max_num_queries)

    certificate_services.certificate_set_listing(certificate=vic, holder=vic.holder, listed=True)
    assert "Vic Valid" in _drawn(client, REGISTER, django_assert_max_num_queries)


def test_it_shows_a_register_profile_change_at_once(client, vic, django_assert_max_num_queries):
    from accreditation.models import Region

    client.get(REGISTER)
    register_profile_update(
        person=vic.holder,
        show_organisation=False,
        regions=list(Region.objects.filter(name="North East")),
        contact_enabled=True,
    )

    html = _drawn(client, REGISTER, django_assert_max_num_queries)
    assert "North East" in html


def test_it_shows_a_holder_renamed_at_once(client, vic, django_assert_max_num_queries):
    client.get(_verify_url(vic))
    holder = vic.holder
    holder.full_name = "Victoria Valid"
    holder.save()

    assert "Victoria Valid" in _drawn(client, _verify_url(vic), django_assert_max_num_queries)


def test_it_keeps_the_pages_when_a_holder_only_signs_in(client, vic, django_assert_num_queries):
    client.get(_verify_url(vic))
    vic.holder.save(update_fields=["last_login"])

    _hit(client, _verify_url(vic), django_assert_num_queries)


def test_it_drops_an_erased_holder_from_every_public_page_at_once(
    client, vic, ada, django_assert_max_num_queries
):
    client.get(_verify_url(vic))
    assert "Vic Valid" in client.get(REGISTER).content.decode()

    user_erase(user=vic.holder, by=ada)

    assert "Vic Valid" not in _drawn(client, REGISTER, django_assert_max_num_queries)
    assert "Vic Valid" not in _drawn(client, _verify_url(vic), django_assert_max_num_queries)


def test_it_moves_the_generation_on_again_when_the_change_commits(
    vic, ali, django_capture_on_commit_callbacks
):
    key = "public-cache:generation:certificates"
    from django.core.cache import cache

    public_cache.invalidate(public_cache.CERTIFICATES)
    before = cache.get(key)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        certificate_services.certificate_revoke(certificate=vic, by=ali, reason="Fraud")
        during = cache.get(key)

    # Once as the row changed, so this process sees it at once; once more at the commit, so a
    # page another process drew from the old row meanwhile is not kept.
    assert during > before
    assert cache.get(key) > during
    assert callbacks


# Two processes sharing one cache ------------------------------------------------------------


@pytest.fixture
def shared_cache(redis_url, settings):
    """This process's cache in Redis, as production's: on a Redis database of its own."""
    import redis

    from tests.conftest import REDIS_TEST_DB

    url = redis_url.rsplit("/", 1)[0] + f"/{(REDIS_TEST_DB + 1) % 16}"
    redis.Redis.from_url(url).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    yield url
    redis.Redis.from_url(url).flushdb()


def _other_process(shared_cache: str, *args) -> dict:
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.platform.shared_cache_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "SHARED_CACHE_URL": shared_cache,
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.platform.public_cache_process", *map(str, args)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_shows_a_change_made_in_another_process_on_the_very_next_request(
    client, locked, shared_cache, ali, django_assert_max_num_queries
):
    vic = listed_holder("Vic Valid")
    url = _verify_url(vic)
    assert "This certificate is valid" in client.get(url).content.decode()

    # The other process is served the copy this one drew: the cache is shared.
    other = _other_process(shared_cache, "get", url)
    assert (other["status"], other["queries"]) == (200, 0)
    assert "This certificate is valid" in other["body"]

    # A suspension here shows there at once...
    certificate_services.certificate_suspend(certificate=vic, by=ali, reason="Complaint")
    other = _other_process(shared_cache, "get", url)
    assert other["queries"] > 0
    assert "suspended" in other["body"].lower()
    assert "This certificate is valid" not in other["body"]

    # ...and a revocation there shows here at once.
    client.get(url)
    assert _other_process(shared_cache, "revoke", vic.pk, ali.pk)["status"] == "revoked"
    html = _drawn(client, url, django_assert_max_num_queries)
    assert "revoked" in html.lower()


# The menu every page shows ------------------------------------------------------------------


def test_it_keeps_the_menu_for_signed_in_pages_until_a_page_is_published(
    client, home, tess, django_assert_max_num_queries
):
    from content.models import StandardPage

    client.force_login(tess)
    assert "Our approach" not in client.get(reverse("accounts_profile")).content.decode()
    page = home.add_child(
        instance=StandardPage(title="Our approach", show_in_menus=True, live=False)
    )
    page.save_revision().publish()

    html = client.get(reverse("accounts_profile")).content.decode()

    assert f'<a href="{page.url}">Our approach</a>' in html


def test_it_reads_the_menu_without_a_query_once_kept(client, home, tess, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tess)
    client.get(reverse("accounts_profile"))
    with CaptureQueriesContext(connection) as kept:
        client.get(reverse("accounts_profile"))
    public_cache.invalidate(public_cache.PAGES)
    with CaptureQueriesContext(connection) as drawn:
        client.get(reverse("accounts_profile"))

    menu = [q for q in drawn.captured_queries if "show_in_menus" in q["sql"]]
    assert menu
    assert not [q for q in kept.captured_queries if "show_in_menus" in q["sql"]]


def test_it_stops_serving_a_page_the_moment_it_is_made_private(client, home):
    from wagtail.models import PageViewRestriction

    news = _news(home).add_child(instance=NewsPage(title="Board minutes", intro="For members."))
    assert client.get(news.url).status_code == 200

    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(news.url)
    assert response.status_code == 302
    assert "login/?next=" in response["Location"]


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=99999", "?page=1&page=2"])
def test_it_does_not_keep_a_made_up_page_number(client, vic, query, django_assert_max_num_queries):
    client.get(REGISTER + query)

    _drawn(client, REGISTER + query, django_assert_max_num_queries)


def test_it_drops_the_register_when_an_organisation_is_deleted(
    client, db, django_assert_max_num_queries
):
    certificate = listed_holder("Olu Org", organisation="Gone Trust", show_organisation=True)
    assert "Gone Trust" in client.get(REGISTER).content.decode()

    certificate.holder.organisation.delete()

    assert "Gone Trust" not in _drawn(client, REGISTER, django_assert_max_num_queries)
