import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/search/", "/verify/"])
def test_it_sends_a_strict_content_security_policy_outside_the_admin(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_it_leaves_the_wagtail_admin_to_its_own_policy(client, ada):
    client.force_login(ada)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
