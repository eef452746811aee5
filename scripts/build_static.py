"""Copy the front-end packages installed by npm into leitbild/static/vendor.

Nothing is loaded from a CDN at run time: the files are served by the application itself.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "leitbild" / "static" / "vendor"

COPIES = [
    ("@kern-ux/native/dist/kern.min.css", "kern/kern.min.css"),
    ("@kern-ux/native/dist/fonts/fira-sans.css", "kern/fonts/fira-sans.css"),
    ("@kern-ux/native/dist/fonts/fira-sans", "kern/fonts/fira-sans"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet.markercluster/dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"),
    ("leaflet.markercluster/dist/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    ("leaflet.markercluster/dist/MarkerCluster.Default.css",
     "markercluster/MarkerCluster.Default.css"),
    # ALTCHA: the build without inline workers and styles, for our strict CSP.
    ("altcha/dist/external/altcha.min.js", "altcha/altcha.min.js"),
    ("altcha/dist/external/altcha.css", "altcha/altcha.css"),
    ("altcha/dist/workers/pbkdf2.js", "altcha/workers/pbkdf2.js"),
    ("altcha/dist/workers/sha.js", "altcha/workers/sha.js"),
    ("altcha/dist/i18n/de.js", "altcha/i18n/de.js"),
]


def main() -> int:
    if not NODE.is_dir():
        print("node_modules is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    for source, target in COPIES:
        src, dst = NODE / source, VENDOR / target
        if not src.exists():
            print(f"missing front-end file {src}", file=sys.stderr)
            return 1
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    print(f"front-end packages copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
