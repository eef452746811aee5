"""Staff pages of the council office (Ratsbüro): the council paper of a strategy version."""

from django.http import Http404
from django.shortcuts import redirect, render

from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role
from leitbild.strategy import selectors as strategy_selectors

from . import forms, paper, services

council_view = staff_view(Role.COUNCIL_OFFICE, Role.EDITOR)


@council_view
def paper_page(request, slug: str, number: int):
    """Edit the texts, then generate PDF and DOCX in the background."""
    version = strategy_selectors.version_get(slug=slug, number=number)
    if version is None:
        raise Http404
    form = forms.PaperForm(request.POST or None, initial=paper.texts(version))
    if request.method == "POST" and form.is_valid():
        services.paper_texts_save(actor=request.user, version=version, texts=form.cleaned_data)
        progress = services.paper_generate_start(actor=request.user, version=version)
        return redirect("core:progress_detail", pk=progress.pk)
    files = strategy_selectors.version_documents([version])[version.pk]
    return render(
        request,
        "council/paper.html",
        {
            "version": version,
            "strategy": version.strategy,
            "form": form,
            "files": {k: v for k, v in files.items() if k[0] == "council_paper"},
            "financial": paper.financial_text(version),
        },
    )
