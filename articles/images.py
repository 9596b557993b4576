"""Pictures in the media library: what an upload must be, and the sizes readers get.

An upload is checked before anything is stored (``check_upload``): a real JPEG, PNG or WebP
image, whole, within ``NEWSROOM_IMAGE_MAX_BYTES`` and ``NEWSROOM_IMAGE_MAX_PIXELS``; never
SVG (a document that can carry scripts). What is stored is made from the decoded pixels
(``clean_original``): turned upright as its EXIF orientation says, then saved again without
any EXIF, so a camera's GPS position never reaches a reader, not even in the original.

Readers get renditions (``make_renditions``): a few widths, each in WebP and in JPEG, made
once when the file is uploaded and stored beside it in the default storage. Their names
follow from the original's name and width alone (``Picture``), so a page lists them without
asking the storage or the database.
"""

import io
import posixpath
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError

# Widths readers' browsers choose from (srcset); none is larger than the original.
WIDTHS = (480, 800, 1200, 1600)
# The width shared on social networks (og:image): Facebook and X ask for 1200.
SHARE_WIDTH = 1200
RENDITIONS_DIR = "renditions"
# What Pillow calls the formats we take, and the extension each is stored with. (Many
# cameras and phones write MPO: a JPEG with a second, smaller picture after it.)
ACCEPTED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
# The format each is stored in: an MPO's first picture as a plain JPEG.
STORED_FORMATS = {"MPO": "JPEG"}
JPEG_QUALITY = 82
WEBP_QUALITY = 78
ORIGINAL_JPEG_QUALITY = 92


def check_upload(upload) -> None:
    """Refuse anything but a whole JPEG, PNG or WebP image within the site's limits, with a
    message an editor understands. Reads the file; leaves it at its start."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the largest image the library takes is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024).lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    upload.seek(0)
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".svg", ".svgz")) or head.startswith(b"<"):
        raise ValidationError(
            _("SVG and other drawings are not accepted: upload a JPEG, PNG or WebP picture."),
            code="svg",
        )
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns first and refuses past twice its limit: refuse
            # at the warning too.
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(upload) as image:
                # Only the header has been read: the size is known before any decoding.
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("%(format)s files are not accepted: upload a JPEG, PNG or WebP picture.")
                        % {"format": image.format},
                        code="format",
                    )
                if image.width * image.height > max_pixels:
                    raise ValidationError(
                        _(
                            "This picture is %(width)d × %(height)d pixels; the library takes "
                            "at most %(limit)s megapixels."
                        )
                        % {
                            "width": image.width,
                            "height": image.height,
                            "limit": f"{max_pixels / 1_000_000:g}",
                        },
                        code="too_many_pixels",
                    )
                image.load()  # decodes every pixel: a truncated file fails here
    except ValidationError:
        raise
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        raise ValidationError(
            _("This picture has too many pixels to be opened safely."), code="too_many_pixels"
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This file is not a picture: upload a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _(
                "This picture is damaged or incomplete (was the upload cut short?). Save it again "
                "and upload the new file."
            ),
            code="damaged",
        ) from None
    finally:
        upload.seek(0)


def clean_original(upload) -> ContentFile:
    """The upload as it is stored: upright, in its own format, with no EXIF (so no GPS
    position, camera serial or date). Only its colour profile is kept."""
    upload.seek(0)
    with PillowImage.open(upload) as opened:
        image_format = STORED_FORMATS.get(opened.format, opened.format)
        icc_profile = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
        image.load()
    image.info.clear()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        image = _without_alpha(image)
        options.update(quality=ORIGINAL_JPEG_QUALITY, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=90)
    else:
        options.update(optimize=True)
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    stem = posixpath.splitext(posixpath.basename(upload.name or "picture"))[0] or "picture"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{ACCEPTED_FORMATS[image_format]}")


def rendition_widths(width: int) -> tuple[int, ...]:
    """The widths made of a picture ``width`` pixels wide: each of ``WIDTHS`` below it, and
    the picture's own width when it is under the largest."""
    return tuple(sorted({*(w for w in WIDTHS if w < width), min(width, WIDTHS[-1])}))


def rendition_name(original_name: str, width: int, extension: str) -> str:
    root = posixpath.splitext(original_name)[0]
    return f"{RENDITIONS_DIR}/{root}-{width}w.{extension}"


def make_renditions(original_name: str, storage=None) -> list[str]:
    """Store the WebP and JPEG renditions of the stored original; their names."""
    storage = storage or default_storage
    with storage.open(original_name, "rb") as file, PillowImage.open(file) as opened:
        opened.load()
        icc_profile = opened.info.get("icc_profile")
        # WebP takes RGB or RGBA only (a CMYK or greyscale original is converted).
        image = opened.convert("RGBA" if opened.has_transparency_data else "RGB")
    names = []
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image if width == image.width else image.resize((width, height), PillowImage.LANCZOS)
        )
        profile = {"icc_profile": icc_profile} if icc_profile else {}
        for extension, save in (
            ("webp", {"format": "WEBP", "quality": WEBP_QUALITY, "method": 4}),
            ("jpg", {"format": "JPEG", "quality": JPEG_QUALITY, "optimize": True,
                     "progressive": True}),
        ):  # fmt: skip
            picture = resized if extension == "webp" else _without_alpha(resized)
            buffer = io.BytesIO()
            picture.save(buffer, **save, **profile)
            name = rendition_name(original_name, width, extension)
            if storage.exists(name):
                storage.delete(name)
            names.append(storage.save(name, ContentFile(buffer.getvalue())))
    return names


def delete_files(original_name: str, width: int, storage=None) -> None:
    """Remove a picture's original and renditions from the storage."""
    storage = storage or default_storage
    names = [original_name] + [
        rendition_name(original_name, w, ext)
        for w in rendition_widths(width)
        for ext in ("webp", "jpg")
    ]
    for name in names:
        storage.delete(name)


def _without_alpha(image: PillowImage.Image) -> PillowImage.Image:
    """JPEG has no transparency: transparent parts become white."""
    if image.mode in {"RGB", "L"}:
        return image
    if image.mode in {"RGBA", "LA", "P", "PA"}:
        rgba = image.convert("RGBA")
        flat = PillowImage.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


@dataclass(frozen=True)
class Picture:
    """What a page needs to show a library image: its file's name and size, and its words.

    Hashable, so a rendered article body (``articles.markdown``) can be remembered per
    text and pictures: a changed caption or file renders the body again.
    """

    pk: int
    name: str
    width: int
    height: int
    alt_text: str
    caption: str
    credit: str

    @property
    def cache_key(self) -> str:
        return f"image-{self.pk}"

    @property
    def widths(self) -> tuple[int, ...]:
        return rendition_widths(self.width)

    @property
    def display_width(self) -> int:
        """The largest rendition's width: the width attribute of the <img>."""
        return self.widths[-1]

    @property
    def display_height(self) -> int:
        return max(1, round(self.height * self.display_width / self.width))

    def url(self, width: int, extension: str = "jpg") -> str:
        return default_storage.url(rendition_name(self.name, width, extension))

    def srcset(self, extension: str) -> str:
        return ", ".join(f"{self.url(w, extension)} {w}w" for w in self.widths)

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpg")

    @property
    def fallback_url(self) -> str:
        """The <img src> for browsers without srcset: a middle-sized JPEG."""
        return self.url(self._width_up_to(800))

    @property
    def share_width(self) -> int:
        return self._width_up_to(SHARE_WIDTH)

    @property
    def share_height(self) -> int:
        return max(1, round(self.height * self.share_width / self.width))

    @property
    def share_url(self) -> str:
        """The JPEG social networks show (og:image, twitter:image, JSON-LD)."""
        return self.url(self.share_width)

    def _width_up_to(self, limit: int) -> int:
        fitting = [w for w in self.widths if w <= limit]
        return fitting[-1] if fitting else self.widths[0]
