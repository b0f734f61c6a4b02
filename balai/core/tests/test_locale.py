"""The UI is in Bahasa Indonesia unless the visitor chose English."""


def test_indonesian_first_whatever_the_browser_says(client, db):
    english_browser = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english_browser.headers["Content-Language"] == "id"
    client.cookies["django_language"] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="id").headers["Content-Language"] == "en"
