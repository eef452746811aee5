from django import forms, template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

register = template.Library()

_CLASSES = {
    forms.CheckboxInput: "kern-form-check__checkbox",
    forms.RadioSelect: "kern-form-check__radio",
    forms.Select: "kern-form-input__select",
    forms.SelectMultiple: "kern-form-input__select",
}


@register.simple_tag
def kern_widget(field):
    """Render a bound field's widget with KERN classes and the ARIA links to hint and error.

    A select stands in KERN's select wrapper: KERN takes the browser's border and arrow off the
    select and draws them on the wrapper, so without it the select does not look like a
    control (WCAG 1.4.11)."""
    widget = field.field.widget
    is_select = isinstance(widget, forms.Select)
    css = _CLASSES.get(
        type(widget), "kern-form-input__select" if is_select else "kern-form-input__input"
    )
    if field.errors:
        css += f" {css}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hint")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    html = field.as_widget(attrs=attrs)
    if is_select:
        return format_html('<div class="kern-form-input__select-wrapper">{}</div>', html)
    return html


@register.filter
def paragraphs(text: str):
    """Plain text with blank-line paragraphs; any HTML in it is shown as text."""
    # linebreaks(autoescape=True) escapes the text before it adds <p> and <br>.
    return mark_safe(linebreaks(str(text), autoescape=True))


@register.simple_tag
def querystring_replace(request, **kwargs):
    query = request.GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return "?" + query.urlencode()
