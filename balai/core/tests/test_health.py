"""/health/ (the process answers) and /ready/ (the database answers too) for load balancers."""

import pytest
from django.db import OperationalError, connection


def test_health_answers_ok_without_the_database(client):
    response = client.get("/health/")  # no django_db mark: touching the database would fail
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a proxy must not keep an old answer


@pytest.mark.django_db
def test_ready_answers_ok_when_the_database_answers(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_answers_503_when_the_database_is_down(client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", unavailable)
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert "no-cache" in response["Cache-Control"]
    monkeypatch.undo()
    assert client.get("/ready/").status_code == 200  # back once the database is


@pytest.mark.django_db
def test_health_stays_200_when_the_database_is_down(client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", unavailable)
    assert client.get("/health/").status_code == 200
