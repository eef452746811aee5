"""System checks for a production start (``leitbild check --deploy``).

Each names what would go wrong at run time: without the static manifest every page that links
a style sheet answers 500; with a cache per process each gunicorn worker keeps its own cached
pages and counters, so limits and cached pages differ from request to request.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs=None, **kwargs) -> list[Error]:
    if not settings.STATIC_MANIFEST:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        Error(
            f"The static files are not collected: {manifest} is missing.",
            hint="Run `leitbild collectstatic --noinput` after every installation or update.",
            id="leitbild.E001",
        )
    ]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    problems = []
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] in PER_PROCESS_CACHES:
            problems.append(
                Error(
                    f"The cache {alias!r} ({config['BACKEND']}) is not shared between processes.",
                    hint="Set REDIS_URL, or leave it unset for the database cache.",
                    id="leitbild.E002",
                )
            )
    return problems


# Deployment only: `leitbild migrate` runs the checks with its database before it migrates.
@register(Tags.caches, Tags.database, deploy=True)
def check_cache_table(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """With `check --deploy --database default`: the database cache's table exists."""
    from django.db import DatabaseError, connections

    problems = []
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
            continue
        for database in databases or ():
            try:
                tables = connections[database].introspection.table_names()
            except DatabaseError:
                continue  # an unreachable database is reported by Django's own checks
            if config["LOCATION"] not in tables:
                problems.append(
                    Error(
                        f"The table {config['LOCATION']!r} of the cache {alias!r} is missing "
                        f"in the database {database!r}.",
                        hint="Run `leitbild migrate`.",
                        id="leitbild.E003",
                    )
                )
    return problems


@register()
def check_map_districts(app_configs=None, **kwargs) -> list[Error]:
    """A districts file that cannot be read would break every map page at run time."""
    from .districts import city_map

    try:
        city_map()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Point LEITBILD_MAP_DISTRICTS to a GeoJSON FeatureCollection of "
                "polygons with a 'name' property, or set it empty to draw no base layer.",
                id="leitbild.E004",
            )
        ]
    return []
