"""Every link sent by e-mail answers an unknown or expired token in the same way: the same
page with the same status (404), for GET as well as for the form behind the link."""

import pytest

from leitbild.core.links import INVALID_LINK_STATUS

TOKEN_LINKS = [
    ("get", "/beteiligung/kontakt/{token}/"),
    ("post", "/beteiligung/kontakt/{token}/"),
    ("get", "/beteiligung/unterstuetzung/{token}/"),
    ("post", "/beteiligung/unterstuetzung/{token}/"),
    ("get", "/mitmachen/bestaetigen/{token}/"),
    ("get", "/umsetzung/monitor/abo/bestaetigen/{token}/"),
    ("get", "/umsetzung/monitor/abo/abbestellen/{token}/"),
    ("post", "/umsetzung/monitor/abo/abbestellen/{token}/"),
]
TOKENS = ["unbekannt", "x" * 43, "eyJpIjogMSwgImgiOiAiYWJjIn0:1tK9aA:abcdefghijklmnopqrstuvwxyz0"]


@pytest.mark.django_db
@pytest.mark.parametrize("method,url", TOKEN_LINKS)
@pytest.mark.parametrize("token", TOKENS)
def test_an_invalid_token_gets_the_same_clear_page_everywhere(client, method, url, token):
    response = getattr(client, method)(url.format(token=token))
    html = response.content.decode()
    assert response.status_code == INVALID_LINK_STATUS == 404
    assert "Dieser Link ist ungültig oder abgelaufen" in html
    assert "den ganzen Link aus der E-Mail" in html
    assert html.count("<h1") == 1
