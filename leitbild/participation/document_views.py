"""Staff page: which ideas of a process the strategy document shows."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leitbild.core.permissions import staff_view
from leitbild.core.roles import Role

from . import selectors
from .document import chosen_ideas, document_idea_choices, document_ideas_choose


class DocumentIdeasForm(forms.Form):
    ideas = forms.MultipleChoiceField(
        label=gettext_lazy("Ideen im Strategiedokument"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Ohne Auswahl zeigt das Dokument die zehn meistunterstützten aufgenommenen Ideen."
        ),
    )

    def __init__(self, *args, ideas, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ideas"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (
                str(i.pk),
                _("%(title)s (%(n)d Unterstützungen)") % {"title": i.title, "n": i.support_count},
            )
            for i in ideas
        ]


@staff_view(Role.EDITOR, Role.MODERATOR)
def staff_document_ideas(request, slug: str):
    process = selectors.process_get(slug=slug)
    if process is None:
        raise Http404
    choices = document_idea_choices(process)
    chosen = chosen_ideas(process.strategy, [process]).get(process.pk, [])
    form = DocumentIdeasForm(
        request.POST or None, ideas=choices, initial={"ideas": [str(i) for i in chosen]}
    )
    if request.method == "POST" and form.is_valid():
        picked = {int(pk) for pk in form.cleaned_data["ideas"]}
        ideas = [i for i in choices if i.pk in picked]
        document_ideas_choose(actor=request.user, process=process, ideas=ideas)
        messages.success(request, _("Die Auswahl für das Strategiedokument wurde gespeichert."))
        return redirect("participation:staff_document_ideas", slug=slug)
    return render(
        request, "participation/staff/document_ideas.html", {"process": process, "form": form}
    )
