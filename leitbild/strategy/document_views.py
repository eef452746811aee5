"""The strategy document: its web version, downloads, generation and arrangement.

Public: the web version and the files of published versions. The Strategie-Redaktion
generates the documents of any version and arranges the chapters; the Ratsbüro downloads them.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leitbild.core.permissions import public_view, staff_view
from leitbild.core.roles import Role, has_role
from leitbild.documents import render as document_render
from leitbild.documents import selectors as documents

from . import forms, selectors, services
from .document import DOCUMENT, scope, strategy_document

editor_view = staff_view(Role.EDITOR)
KINDS = {"strategie": "strategy", "beschlussvorlage": "council_paper"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _version(request, slug: str, number: int):
    """A published version for everyone, any version for the Redaktion and the Ratsbüro."""
    staff = has_role(request.user, Role.EDITOR, Role.COUNCIL_OFFICE)
    version = selectors.version_get(slug=slug, number=number, public=not staff)
    if version is None:
        raise Http404
    return version


@public_view
def document_web(request, slug: str, number: int):
    version = _version(request, slug, number)
    context = document_render.web_context(strategy_document(version, lang="de"))
    files = selectors.version_documents([version])[version.pk]
    return render(
        request,
        "strategy/document_web.html",
        {**context, "version": version, "strategy": version.strategy, "files": files},
    )


@public_view
def document_download(request, slug: str, number: int, kind: str, fmt: str):
    version = _version(request, slug, number)
    row = selectors.version_documents([version])[version.pk].get((KINDS.get(kind), fmt))
    if row is None or not documents.file_path(row).is_file():
        raise Http404
    path = documents.file_path(row)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=row.filename, content_type=CONTENT_TYPES[fmt]
    )
    response["X-Checksum-SHA256"] = row.sha256
    return response


@editor_view
def staff_documents(request, slug: str, number: int):
    version = selectors.version_get(slug=slug, number=number)
    if version is None:
        raise Http404
    if request.method == "POST":
        progress = services.document_generate_start(actor=request.user, version=version)
        return redirect("core:progress_detail", pk=progress.pk)
    files = selectors.version_documents([version])[version.pk]
    return render(
        request,
        "strategy/staff/documents.html",
        {"strategy": version.strategy, "version": version, "files": files},
    )


@editor_view
def staff_document_arrangement(request, slug: str):
    strategy = selectors.strategy_get(slug=slug)
    if strategy is None:
        raise Http404
    chapters = documents.arrangement(DOCUMENT, scope(strategy))
    form = forms.DocumentArrangementForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        services.document_arrangement_save(actor=request.user, strategy=strategy, rows=form.rows())
        messages.success(request, _("Der Aufbau des Strategiedokuments wurde gespeichert."))
        return redirect("strategy:staff_document_arrangement", slug=slug)
    return render(
        request, "strategy/staff/document_arrangement.html", {"strategy": strategy, "form": form}
    )
