import pytest
from django import forms

from leitbild.core.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from leitbild.core.models import Page


class PickForm(forms.Form):
    one = SafeModelChoiceField(queryset=Page.objects.all(), required=False)
    many = SafeModelMultipleChoiceField(queryset=Page.objects.all(), required=False)


@pytest.mark.parametrize("value", ["9223372036854775808", "-99999999999999999999", "1" * 40])
def test_keys_beyond_64_bits_are_an_invalid_choice_not_a_crash(db, value):
    form = PickForm(data={"one": value, "many": [value]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}


def test_real_keys_still_work(db):
    page = Page.objects.create(slug="a", title="A", body="b")
    form = PickForm(data={"one": str(page.pk), "many": [str(page.pk)]})
    assert form.is_valid()
    assert form.cleaned_data["one"] == page
