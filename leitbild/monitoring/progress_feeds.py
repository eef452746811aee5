"""Atom feeds of the progress reports: the whole site and one project (Django's syndication
framework). Only reports of public projects; the text goes out as escaped HTML, with the
report's photo as an image with its description. An entry's author is the project's lead
unit; a project without one inherits the feed's author, the city (RFC 4287 4.1.2).
The tests check both feeds against RFC 4287's schema (``tests/atom_check.py``)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from leitbild.core.permissions import public_view

from . import progress_selectors as selectors
from .progress_models import ProgressUpdate


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class ProgressFeed(Feed):
    feed_type = Atom1Feed
    description_template = "monitoring/progress/feed_entry.html"

    def author_name(self, obj=None) -> str:
        return _("Stadt %(city)s") % {"city": settings.LEITBILD_CITY_NAME}

    def title(self, obj=None) -> str:
        if obj is not None:
            return _("Fortschritt: %(title)s") % {"title": obj.title}
        return _("Fortschritt der Smart-City-Projekte")

    def subtitle(self, obj=None) -> str:
        return _("Die Fortschrittsberichte der Projekte aus dem Umsetzungsmonitor.")

    def link(self, obj=None) -> str:
        if obj is not None:
            return reverse("monitoring:progress_project", args=[obj.pk])
        return reverse("monitoring:progress_overview")

    def items(self, obj=None) -> list[ProgressUpdate]:
        return selectors.feed_updates(project=obj)

    def item_title(self, item: ProgressUpdate) -> str:
        return _("%(project)s: %(percent)d Prozent, %(status)s") % {
            "project": item.project.title,
            "percent": item.percent,
            "status": item.get_status_display(),
        }

    def get_context_data(self, **kwargs) -> dict:
        # A feed reader resolves no address against the page, so the photo's is absolute.
        item = kwargs["item"]
        photo = kwargs["request"].build_absolute_uri(item.photo.url) if item.photo else ""
        return {"update": item, "photo_url": photo}

    def item_author_name(self, item: ProgressUpdate) -> str | None:
        unit = item.project.lead_unit
        return unit.name if unit is not None else None

    def item_link(self, item: ProgressUpdate) -> str:
        url = reverse("monitoring:progress_project", args=[item.project_id])
        return f"{url}#bericht-{item.pk}"

    def item_guid(self, item: ProgressUpdate) -> str:
        return f"tag:leitbild,{item.created_at:%Y-%m-%d}:monitoring/progress/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ProgressUpdate) -> datetime.datetime:
        return _moment(item.date)

    def item_updateddate(self, item: ProgressUpdate) -> datetime.datetime:
        return _moment(item.date)


class ProjectProgressFeed(ProgressFeed):
    def get_object(self, request, pk: int):
        project = selectors.public_projects().filter(pk=pk).first()
        if project is None:
            raise Http404
        return project


site_feed = public_view(ProgressFeed())
project_feed = public_view(ProjectProgressFeed())
