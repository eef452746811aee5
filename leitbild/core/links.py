"""Links sent by e-mail (confirm an address, confirm a support, …) carry a token. Whatever
the link, an unknown, used-up or expired token gets the same page with the same status."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

INVALID_LINK_STATUS = 404


def invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "link_invalid.html", status=INVALID_LINK_STATUS)
