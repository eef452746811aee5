import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from leitbild.participation.images import photo_clean

from .conftest import image_bytes


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 25.0, 1.0), 3: "E", 4: (10.0, 47.0, 2.0)}  # GPS IFD
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_become_jpeg(fmt):
    cleaned = photo_clean(upload(image_bytes(fmt)))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)


def test_exif_and_gps_are_removed():
    original = image_bytes("JPEG", exif=exif_with_gps())
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825) is not None  # the test image really has GPS
    cleaned = photo_clean(upload(original)).read()
    with Image.open(io.BytesIO(cleaned)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"Kamerahersteller" not in cleaned


def test_a_gif_is_refused():
    with pytest.raises(ValidationError):
        photo_clean(upload(image_bytes("GIF"), name="bild.gif"))


def test_a_disguised_file_is_refused():
    with pytest.raises(ValidationError):
        photo_clean(upload(b"<?php echo 'hallo'; ?>" * 50, name="foto.jpg"))


def test_an_html_file_named_like_a_photo_is_refused():
    with pytest.raises(ValidationError):
        photo_clean(
            upload(
                b"<html><script>alert(1)</script></html>", name="x.png", content_type="image/png"
            )
        )


def test_a_truncated_image_is_refused():
    data = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(ValidationError):
        photo_clean(upload(data[: len(data) // 2]))


def test_a_truncated_image_is_refused_even_after_weasyprint_was_loaded():
    import weasyprint  # noqa: F401 - it sets Pillow's LOAD_TRUNCATED_IMAGES on import
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    data = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(ValidationError):
        photo_clean(upload(data[: len(data) // 2]))


def test_a_truncated_png_is_refused():
    data = image_bytes("PNG", size=(400, 300))
    with pytest.raises(ValidationError):
        photo_clean(upload(data[: len(data) - 40], name="x.png"))


def test_an_oversized_file_is_refused(settings):
    settings.LEITBILD_IDEA_PHOTO_MAX_BYTES = 500
    with pytest.raises(ValidationError, match="zu groß"):
        photo_clean(upload(image_bytes(size=(300, 300))))


def test_too_many_pixels_are_refused(settings):
    settings.LEITBILD_IDEA_PHOTO_MAX_PIXELS = 100
    with pytest.raises(ValidationError, match="Bildpunkte"):
        photo_clean(upload(image_bytes(size=(20, 20))))


def test_large_photos_are_scaled_down():
    cleaned = photo_clean(upload(image_bytes(size=(3000, 1500))))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert max(image.size) == 2000
