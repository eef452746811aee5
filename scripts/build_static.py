"""Copy the front-end packages installed by npm into leitbild/static/vendor.

Nothing is loaded from a CDN at run time: the files are served by the application itself.

A file that names a source map (``//# sourceMappingURL=…``) gets the map next to it: in
production ``collectstatic`` rewrites every such reference to the map's hashed name and stops
when the map is missing. A package that names a map it does not ship loses the comment instead.
"""

import re
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
    (
        "leaflet.markercluster/dist/leaflet.markercluster.js",
        "markercluster/leaflet.markercluster.js",
    ),
    ("leaflet.markercluster/dist/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    (
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
        "markercluster/MarkerCluster.Default.css",
    ),
    # ALTCHA: the build without inline workers and styles, for our strict CSP.
    ("altcha/dist/external/altcha.min.js", "altcha/altcha.min.js"),
    ("altcha/dist/external/altcha.css", "altcha/altcha.css"),
    ("altcha/dist/workers/pbkdf2.js", "altcha/workers/pbkdf2.js"),
    ("altcha/dist/workers/sha.js", "altcha/workers/sha.js"),
    ("altcha/dist/i18n/de.js", "altcha/i18n/de.js"),
]

# The same lines Django's ManifestStaticFilesStorage rewrites (HashedFilesMixin.patterns).
SOURCE_MAP = re.compile(
    r"(?m)^(?://# (?-i:sourceMappingURL)=(?P<js>.*)"
    r"|/\*#[ \t](?-i:sourceMappingURL)=(?P<css>.*?)[ \t]*\*/)$"
)


def copy_source_maps(src: Path, dst: Path) -> None:
    """Copy the maps that the copied file *dst* (from *src*) names; drop names without a map."""
    text = dst.read_text(encoding="utf-8", errors="surrogateescape")

    def keep_or_drop(match: re.Match) -> str:
        name = (match["js"] or match["css"]).strip()
        if name.startswith("data:"):
            return match[0]
        source_map = src.parent / name
        if "://" not in name and not name.startswith("/") and source_map.is_file():
            (dst.parent / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source_map, dst.parent / name)
            return match[0]
        return ""

    changed = SOURCE_MAP.sub(keep_or_drop, text)
    if changed != text:
        dst.write_text(changed, encoding="utf-8", errors="surrogateescape")


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
            pairs = [(dst_file, src / dst_file.relative_to(dst)) for dst_file in dst.rglob("*")]
        else:
            shutil.copy2(src, dst)
            pairs = [(dst, src)]
        for dst_file, src_file in pairs:
            if dst_file.suffix in {".js", ".css"}:
                copy_source_maps(src_file, dst_file)
    print(f"front-end packages copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
