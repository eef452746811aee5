import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def demo_site_url(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server bound to ``host``:``port``."""
    if host in {"", "0.0.0.0", "::", "[::]"}:
        host = "127.0.0.1"  # bound to every interface: this machine's own address works
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "Migrate, load the demo city Musterstadt and serve it with a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Only load the demo data.")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, no_serve: bool, port: int, host: str, **options):
        from leitbild.core.demo import demo_background, demo_load

        if not os.environ.get("SITE_URL"):
            # Letters and e-mails of the demo carry its own address: a demo on port 8080 must
            # not send residents to :8000. Set in the environment, so that the web server and
            # the worker (which renders the letters) started below inherit it.
            os.environ["SITE_URL"] = demo_site_url(host, port)
            settings.SITE_URL = os.environ["SITE_URL"]
        if not no_serve and settings.LEITBILD_ENV == "development":
            # Visitors of a demo must never see a debug page (all URL patterns, tracebacks):
            # start again with LEITBILD_ENV=demo, which serves like production over http.
            argv = [sys.executable, "-m", "leitbild", "demo", "--port", str(port), "--host", host]
            os.execve(sys.executable, argv, {**os.environ, "LEITBILD_ENV": "demo"})
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.PRODUCTION:
            # In the demo with hashed names and the manifest, as in production.
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Lade die Demo-Stadt Musterstadt …")
        logins = demo_load()
        demo_background()  # e.g. the strategy documents: rendered by the worker started below
        url = settings.SITE_URL + "/"
        self.stdout.write(self.style.SUCCESS(f"\nMusterstadt läuft auf {url}\n"))
        self.stdout.write("Anmeldungen (Passwort für alle gleich):")
        for email, password, roles in logins:
            self.stdout.write(f"  {', '.join(roles):<22} {email:<34} {password}")
        self.stdout.write(f"\nStaff-Bereich: {url}verwaltung/   API: {url}api/v1/docs\n")
        if no_serve:
            return
        self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "leitbild", "worker"])
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "leitbild.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--access-logfile",
                "-",
            ]
        )

        def stop(*_args):
            for proc in (web, worker):
                proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.wait()
        finally:
            stop()
            worker.wait(timeout=10)
