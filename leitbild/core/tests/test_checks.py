"""`leitbild check --deploy` stops a production start that would serve no page or split caches."""

import pytest

from leitbild.core import checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "leitbild_test_cache",
    }
}


def _ids(problems) -> list[str]:
    return [problem.id for problem in problems]


def test_it_refuses_static_files_that_were_not_collected(settings, tmp_path):
    settings.STATIC_MANIFEST = True
    settings.STATIC_ROOT = tmp_path
    assert _ids(checks.check_static_manifest()) == ["leitbild.E001"]
    (tmp_path / "staticfiles.json").write_text("{}")
    assert checks.check_static_manifest() == []


def test_development_serves_static_files_without_a_manifest(settings, tmp_path):
    settings.STATIC_MANIFEST = False
    settings.STATIC_ROOT = tmp_path
    assert checks.check_static_manifest() == []


def test_it_refuses_a_cache_per_process_in_production(settings):
    settings.PRODUCTION = True
    settings.CACHES = LOCMEM
    assert _ids(checks.check_shared_cache()) == ["leitbild.E002"]
    settings.CACHES = DATABASE_CACHE
    assert checks.check_shared_cache() == []


def test_development_may_cache_per_process(settings):
    settings.PRODUCTION = False
    settings.CACHES = LOCMEM
    assert checks.check_shared_cache() == []


@pytest.mark.django_db
def test_it_names_a_missing_cache_table_and_migrate_creates_it(settings):
    settings.CACHES = DATABASE_CACHE
    assert _ids(checks.check_cache_table(databases=["default"])) == ["leitbild.E003"]
    assert checks.check_cache_table(databases=None) == []
    from leitbild.core.apps import create_cache_table

    create_cache_table(using="default")
    create_cache_table(using="default")  # every later migrate finds it there
    assert checks.check_cache_table(databases=["default"]) == []


def test_the_checks_run_with_check_deploy_only():
    from django.core.checks import registry

    deploy_only = registry.registry.deployment_checks
    assert {
        checks.check_static_manifest,
        checks.check_shared_cache,
        checks.check_cache_table,
    } <= deploy_only
