"""Every URL of ours that takes an id answers 404 for an id that does not exist, however large.

A number beyond a 64-bit column's range used to reach the database: SQLite cannot bind it
(OverflowError) and a Wagtail page's id is looked up through a relation that skips Django's own
range check, so such URLs answered 500. Runs in both tiers: `make test` runs this whole suite
again on PostgreSQL, where the page id columns are 32-bit.
"""

import re

import pytest

from learning_platform.converters import MAX_ID
from tests.platform.access_matrix import MATRIX
from tests.platform.url_patterns import first_party_patterns

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
PLACEHOLDERS = {
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
CONVERTER = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")


def _id_routes() -> dict[str, str]:
    return {
        name: route
        for name, route in first_party_patterns().items()
        if "<id:" in route or "<int:" in route
    }


def _url(route: str, number: str) -> str:
    def fill(match):
        kind = match.group("type") or "str"
        return number if kind in ("id", "int") else PLACEHOLDERS[kind]

    return "/" + CONVERTER.sub(fill, route)


def test_it_finds_the_urls_that_take_an_id():
    routes = _id_routes()

    for name in (
        "courses:reflection_save",
        "courses:knowledge_check_answer",
        "courses:cohort_detail",
        "accreditation:stage_detail",
        "accreditation:certificate_manage",
        "notifications:open",
        "bulk_issues:detail",
    ):
        assert name in routes, name


def test_it_reads_every_id_in_our_urls_with_the_bounded_converter():
    # Django's own <int:...> accepts any number of digits: a new URL must use <id:...>.
    unbounded = {name: route for name, route in _id_routes().items() if "<int:" in route}

    assert not unbounded, f"Use <id:...> for database ids in: {unbounded}"


def _routes_for(persona: str) -> list[tuple[str, str]]:
    # The Wagtail admin sends a trainee to sign in at any admin address, before any lookup.
    return [
        (name, route)
        for name, route in sorted(_id_routes().items())
        if not (persona == "tess" and route.startswith("admin/"))
    ]


@pytest.mark.parametrize("persona", ["tess", "ada"])
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1)])
def test_it_answers_404_for_an_id_beyond_the_database(client, request, persona, number):
    client.force_login(request.getfixturevalue(persona))
    client.raise_request_exception = False

    wrong = []
    for name, route in _routes_for(persona):
        url = _url(route, number)
        for send in (client.get, client.post):
            status = send(url).status_code
            if status != 404:
                wrong.append(f"{send.__name__.upper()} {name} {url}: {status}")

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", ["tess", "ada"])
@pytest.mark.parametrize("number", [str(MAX_ID), str(2**31)])
def test_it_answers_the_largest_ids_a_column_can_hold_as_any_missing_id(
    client, request, persona, number
):
    # These reach the database: a 64-bit column holds them, a 32-bit one (PostgreSQL's page ids)
    # does not, and neither may turn the lookup into an error. Each URL is asked the way it is
    # used (its access-matrix row's method), and must answer as it does for an ordinary id that
    # does not exist: 404 on our own pages; in the Wagtail admin, a screen the persona has no
    # permission for turns them away first, whatever the id.
    client.force_login(request.getfixturevalue(persona))
    client.raise_request_exception = False

    wrong = []
    for name, route in _routes_for(persona):
        send = client.post if MATRIX[name].method == "POST" else client.get
        missing = send(_url(route, "987654")).status_code
        status = send(_url(route, number)).status_code
        if status != missing or (status != 404 and not route.startswith("admin/")):
            wrong.append(f"{MATRIX[name].method} {name} {number}: {status}, {missing} for 987654")

    assert not wrong, "\n".join(wrong)
