from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .backup import backup_create
from .progress import progress_run


@task()
def backup_task(progress_id: str) -> str:
    with progress_run(progress_id) as reporter:
        name = f"leitbild-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        target = settings.DATA_DIR / "backups" / name
        backup_create(target=target,
                      report=lambda done, total: reporter.update(done=done, total=total))
        reporter.finish(result_url=reverse("core:backup_download", args=[name]),
                        result_label=f"{name} herunterladen")
    return name
