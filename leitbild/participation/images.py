"""Photos of ideas: only real JPEG, PNG or WebP images, re-encoded, without any metadata.

Re-encoding from the decoded pixels drops EXIF (and with it GPS positions), ICC comments and
anything appended to the file; a disguised or truncated file fails to decode and is refused.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
MAX_EDGE = 2000


def photo_max_bytes() -> int:
    return int(getattr(settings, "LEITBILD_IDEA_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def photo_clean(upload) -> ContentFile:
    """Validate an uploaded photo and return it re-encoded as JPEG without metadata."""
    max_bytes = photo_max_bytes()
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("Das Foto ist zu groß. Erlaubt sind höchstens %(mb)s MB.")
            % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    max_pixels = int(getattr(settings, "LEITBILD_IDEA_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))
    invalid = ValidationError(
        _("Die Datei ist kein lesbares Foto. Erlaubt sind JPEG, PNG und WebP."), code="invalid"
    )
    try:
        upload.seek(0)
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValidationError(_("Das Foto ist zu groß."), code="too_large")
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise invalid
            width, height = probe.size
            if width * height > max_pixels or width < 1 or height < 1:
                raise ValidationError(_("Das Foto hat zu viele Bildpunkte."), code="too_large")
            probe.verify()  # structure check; the image must be reopened afterwards
        # WeasyPrint sets this process-wide flag to True when it is imported (for the PDF
        # letters); with it, Pillow would pad a truncated photo silently instead of failing.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes all pixels: truncated files fail here
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, (255, 255, 255))
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            out = io.BytesIO()
            # No exif=, icc_profile= or comment: the new file carries pixels only.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise invalid from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
