"""One form-field template (``_field.html``) for every form: a text field has its label and
its error next to it, a choice group is a fieldset with a legend, a checkbox stands before
its label, and no template includes another field template."""

from pathlib import Path

from django import forms
from django.template.loader import render_to_string

import leitbild


class Sample(forms.Form):
    title = forms.CharField(label="Titel", help_text="Kurz und klar")
    note = forms.CharField(label="Notiz", required=False)
    areas = forms.MultipleChoiceField(
        label="Handlungsfelder", choices=[("a", "Mobilität")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="Einverstanden")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def render(field, **extra) -> str:
    return render_to_string("_field.html", {"field": field, **extra})


def test_a_text_field_has_its_label_hint_and_error_next_to_it():
    form = Sample({})
    assert not form.is_valid()
    html = render(form["title"])
    assert '<label class="kern-label" for="id_title">Titel' in html
    assert 'id="id_title_hint"' in html and "kern-form-input--error" in html
    assert 'id="id_title_error"' in html
    assert "optional" in render(form["note"])


def test_a_choice_group_is_a_fieldset_and_may_wrap():
    form = Sample()
    html = render(form["areas"])
    assert "<fieldset" in html and '<legend class="kern-label">Handlungsfelder' in html
    assert "lb-checks" not in html and "lb-checks" in render(form["areas"], wrap=True)


def test_a_checkbox_and_a_hidden_field():
    form = Sample()
    assert "kern-form-check" in render(form["agree"])
    assert render(form["secret"]).strip().startswith('<input type="hidden"')


def test_there_is_one_field_template():
    root = Path(leitbild.__file__).parent
    names = {p.name for p in root.rglob("templates/**/*.html")}
    assert "_form_field.html" not in names and "_choice_group.html" not in names
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        assert "_form_field.html" not in text, template
