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


@pytest.fixture
def storage_writes(monkeypatch):
    from django.core.files.storage import storages

    storage = storages["private"]
    names = []
    save = storage.save

    def counting_save(name, content, **kwargs):
        names.append(name)
        return save(name, content, **kwargs)

    monkeypatch.setattr(storage, "save", counting_save)
    return names


def test_it_writes_to_storage_once_for_probes_close_together(client, storage_writes, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)

    first = client.get("/health/")
    time_machine.shift(20)
    second = client.get("/health/")

    assert first.json()["storage"] == second.json()["storage"] == "ok"
    assert len(storage_writes) == 1

    # Once the result is older than its window the next probe checks storage again.
    time_machine.shift(31)
    assert client.get("/health/").json()["storage"] == "ok"
    assert len(storage_writes) == 2


def test_it_reports_a_storage_failure_and_keeps_reporting_it_within_the_window(
    client, monkeypatch, time_machine
):
    from django.core.files.storage import storages

    def broken_save(name, content, **kwargs):
        raise PermissionError("read-only file system")

    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    monkeypatch.setattr(storages["private"], "save", broken_save)
    first = client.get("/health/")
    monkeypatch.undo()
    second = client.get("/health/")

    assert first.status_code == second.status_code == 503
    assert first.json()["storage"] == second.json()["storage"] == "error: PermissionError"
    assert first.json()["database"] == "ok"
