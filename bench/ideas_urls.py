"""The project's URLs plus ``/bench-minimal``: the smallest Django view, the yardstick that
bench/ideas_bench.py compares the idea pages with. Used only by the benchmark."""

from django.http import HttpResponse
from django.urls import path

from leitbild.core.permissions import public_view
from leitbild.urls import handler500  # noqa: F401
from leitbild.urls import urlpatterns as project_urlpatterns


@public_view
def bench_minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench-minimal", bench_minimal), *project_urlpatterns]
