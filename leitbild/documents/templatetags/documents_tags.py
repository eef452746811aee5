import base64

from django import template

register = template.Library()


@register.filter
def svg_data_uri(figure) -> str:
    """A chart's SVG as an image source for WeasyPrint: an <img> is tagged /Figure with /Alt."""
    return "data:image/svg+xml;base64," + base64.b64encode(figure.svg.encode()).decode()
