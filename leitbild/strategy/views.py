from django.shortcuts import render

from leitbild.core.permissions import public_view, staff_view
from leitbild.accounts.roles import Role


@public_view
def overview(request):
    return render(request, "strategy/overview.html", {})


@staff_view(Role.EDITOR)
def staff_index(request):
    return render(request, "strategy/overview.html", {})
