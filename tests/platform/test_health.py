import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_every_component_healthy(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_broker_is_unreachable(client, settings):
    from learning_platform.celery import app

    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = previous

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"
