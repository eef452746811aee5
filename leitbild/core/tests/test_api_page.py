"""The page about the API, linked in every footer: our own accessible page (django-ninja's
Swagger UI fails axe-core) listing every operation of the OpenAPI document and linking it."""

from django.urls import reverse


def test_every_footer_links_the_api_page_instead_of_the_swagger_ui(client, db):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("api_overview")}"' in footer
    assert "/api/v1/docs" not in html


def test_the_api_page_lists_every_operation_and_links_the_openapi_document(client, db):
    response = client.get(reverse("api_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("api:openapi-json")}"' in html
    document = client.get(reverse("api:openapi-json")).json()
    for path, operations in document["paths"].items():
        assert f"<code>{path}</code>" in html
        for operation in operations.values():
            assert operation["summary"] in html
    assert "<code>bbox</code>" in html  # parameters are listed with what they mean
    assert html.count('role="region"') == html.count('class="kern-table-responsive"')
