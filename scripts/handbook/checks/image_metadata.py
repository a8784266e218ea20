"""Images are published as they are: metadata in them is refused, and `handbook clean-image` removes it.

An image from a phone or an editor carries more than its pixels: EXIF (author, copyright, description,
user comment, maker notes, camera serial number, dates, a thumbnail of the original, the GPS position where
it was taken), XMP, IPTC (Photoshop), PNG text chunks (tEXt, iTXt, zTXt) and eXIf, JPEG and GIF comments,
WebP EXIF and XMP chunks, and data after the end of the image. The site copies image files unchanged, so the
check refuses such an image rather than stripping it on publication: the published file is the checked file,
and check and build agree. The message names what was found and the one command that fixes it,
`handbook clean-image PATH…`, which rewrites the image without metadata (Pillow), with its orientation
applied and its ICC colour profile kept (a colour profile is not personal; orientation, resolution and
colour space are kept as harmless). A file name holding an e-mail address or phone number is refused too.
"""

from __future__ import annotations

import argparse
import os
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handbook.checks.personal_data import Contacts, personal_data
from handbook.content.load import IMAGE_SUFFIXES
from handbook.messages import _

# EXIF tags that only say how to show the pixels; any other tag is metadata.
_HARMLESS_EXIF = frozenset({0x0112, 0x011A, 0x011B, 0x0128, 0x0213, 0x8769, 0x8825, 0xA001, 0xA002, 0xA003, 0xA005, 0x9000, 0xA000, 0x9101})
_PERSONAL_EXIF = {0x013B: "author", 0x9C9D: "author", 0x8298: "copyright", 0x010E: "description", 0x9C9B: "description"}
_PERSONAL_EXIF |= {0x9C9C: "comment", 0x9C9F: "description", 0x9C9E: "keywords", 0x9286: "user comment", 0x927C: "maker notes"}
_PERSONAL_EXIF |= {0xA430: "camera owner", 0xA431: "serial number", 0xA435: "serial number"}
_EXIF_IFD, _GPS_IFD, _THUMBNAIL_IFD = 0x8769, 0x8825, 1
# What the image formats may hold besides pixels: the colour profile and how to show them.
_PNG_KEPT = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"pHYs", b"bKGD"})
_PNG_KEPT |= {b"cICP", b"acTL", b"fcTL", b"fdAT"}  # colour space; animation
_PNG_TEXT = frozenset({b"tEXt", b"iTXt", b"zTXt"})
_WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
_JPEG_KEPT = (("APP0", b"JFIF\x00"), ("APP2", b"ICC_PROFILE\x00"), ("APP14", b"Adobe"))
_JPEG_KNOWN = {b"Exif\x00": "EXIF", b"http://ns.adobe.com/xap/1.0/": "XMP", b"http://ns.adobe.com/xmp/extension/": "XMP"}
_MAX_FRAMES = 10_000
_KEPT_INFO = ("transparency", "duration", "loop", "background", "icc_profile")


def _label(kind: str) -> str:
    """The translated name of a kind of metadata (each written out, so the message catalogue has it)."""
    labels = {
        "GPS position": _("GPS position (EXIF)"),
        "author": _("author (EXIF)"),
        "copyright": _("copyright (EXIF)"),
        "description": _("description (EXIF)"),
        "comment": _("a comment (EXIF, JPEG or GIF)"),
        "keywords": _("keywords (EXIF)"),
        "user comment": _("user comment (EXIF)"),
        "maker notes": _("maker notes (EXIF)"),
        "camera owner": _("camera owner (EXIF)"),
        "serial number": _("camera serial number (EXIF)"),
        "thumbnail": _("thumbnail of the original (EXIF)"),
        "other EXIF data": _("other EXIF data (camera, dates)"),
        "EXIF": _("EXIF data"),
        "XMP": _("XMP data"),
        "IPTC": _("IPTC data (Photoshop)"),
        "text": _("PNG text chunks"),
        "other data": _("other embedded data"),
        "trailing data": _("data after the end of the image"),
        "personal data": _("personal data (an e-mail address or phone number)"),
    }
    return labels[kind]


def _exif_kinds(exif: Any) -> Iterator[str]:
    for tag in exif:
        if tag not in _HARMLESS_EXIF:
            yield _PERSONAL_EXIF.get(tag, "other EXIF data")
    for tag in exif.get_ifd(_EXIF_IFD):
        if tag not in _HARMLESS_EXIF:
            yield _PERSONAL_EXIF.get(tag, "other EXIF data")
    if exif.get_ifd(_GPS_IFD):
        yield "GPS position"
    if exif.get_ifd(_THUMBNAIL_IFD):
        yield "thumbnail"


def _exif_texts(exif: Any) -> Iterator[str]:
    for values in (exif, exif.get_ifd(_EXIF_IFD)):
        for value in values.values():
            if isinstance(value, bytes):
                value = value.decode("utf-16-le" if b"\x00" in value[1::2] else "latin-1", "replace")
            if isinstance(value, str):
                yield value


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, int]]:
    """(type, end offset) of each chunk of a PNG file, up to IEND."""
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        yield kind, position
        if kind == b"IEND":
            return


def _riff_chunks(data: bytes) -> Iterator[bytes]:
    """The type of each top-level chunk of a WebP (RIFF) file."""
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    position = 12
    while position + 8 <= end:
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        position += 8 + length + (length & 1)
        yield kind


def _container_kinds(data: bytes, image_format: str) -> Iterator[str]:
    """What the file holds besides pixels, read from its chunks (PNG, WebP) or segments (JPEG)."""
    if image_format == "PNG":
        end = 0
        for kind, chunk_end in _png_chunks(data):
            end = chunk_end
            if kind in _PNG_TEXT:
                yield "text"
            elif kind == b"eXIf":
                yield "EXIF"
            elif kind not in _PNG_KEPT:
                yield "other data"
        if data[end:].strip(b"\x00"):
            yield "trailing data"
    elif image_format == "WEBP":
        for kind in _riff_chunks(data):
            if kind not in _WEBP_KEPT:
                yield {b"EXIF": "EXIF", b"XMP ": "XMP"}.get(kind, "other data")
        if data[8 + struct.unpack("<I", data[4:8])[0] :].strip(b"\x00"):
            yield "trailing data"


def _jpeg_kinds(applist: list[tuple[str, bytes]]) -> Iterator[str]:
    for marker, segment in applist:
        if marker == "COM":
            yield "comment"
        elif marker == "APP13":
            yield "IPTC"
        elif not any(marker == kept and segment.startswith(prefix) for kept, prefix in _JPEG_KEPT):
            yield next((kind for prefix, kind in _JPEG_KNOWN.items() if segment.startswith(prefix)), "other data")


def metadata_found(path: Path) -> list[str]:
    """The kinds of metadata the image at `path` holds (translated, in a fixed order), or none."""
    from PIL import Image

    data = path.read_bytes()
    kinds: set[str] = set()
    texts: list[str] = []
    with Image.open(path) as image:
        image_format = str(image.format)
        kinds.update(_container_kinds(data, image_format))
        kinds.update(_jpeg_kinds(getattr(image, "applist", [])))
        exif = image.getexif()
        if len(exif) or exif.get_ifd(_GPS_IFD) or exif.get_ifd(_THUMBNAIL_IFD):  # read: only what is more than harmless
            kinds.discard("EXIF")
            kinds.update(_exif_kinds(exif))
            texts += _exif_texts(exif)
        for frame in range(min(getattr(image, "n_frames", 1), _MAX_FRAMES)):
            image.seek(frame)
            for key, value in image.info.items():
                if key in ("comment", "xmp") or str(key).startswith("XML:com.adobe.xmp"):
                    kinds.add("comment" if key == "comment" else "XMP")
                if key in ("comment", "xmp") or (image_format == "PNG" and isinstance(value, str)):
                    texts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    if any(personal_data(text, Contacts()) for text in texts):
        kinds.add("personal data")
    order = list(_ORDER)
    return [_label(kind) for kind in sorted(kinds, key=lambda kind: order.index(kind) if kind in order else len(order))]


_ORDER = (
    "personal data", "GPS position", "author", "camera owner", "serial number", "copyright", "description", "user comment",
    "comment", "keywords", "maker notes", "thumbnail", "other EXIF data", "EXIF", "XMP", "IPTC", "text", "other data", "trailing data",
)  # fmt: skip


def name_problem(path: Path) -> str | None:
    """Why the name of an image is refused (an e-mail address or phone number in it), or None."""
    found = personal_data(re.sub(r"[_+]", " ", path.stem), Contacts())
    if not found:
        return None
    return _("the file name holds personal data; rename the file: {message}", message=found[0][1])


def image_problem(path: Path) -> str | None:
    """Why an image (already read by Pillow) is refused for its name or its metadata, or None."""
    problem = name_problem(path)
    if problem is not None:
        return problem
    try:
        found = metadata_found(path)
    except Exception as error:  # a hostile file that Pillow verified but cannot read further
        return _("the image cannot be read ({error}); save it again", error=type(error).__name__)
    if not found:
        return None
    return _(
        "the image holds metadata: {found}; remove it with `handbook clean-image {path}` or export the image without metadata",
        found=", ".join(found),
        path=path.name,
    )


def clean_image(path: Path) -> None:
    """Rewrite the image at `path` without metadata: orientation applied, ICC profile and animation kept."""
    from PIL import Image, ImageOps, ImageSequence

    with Image.open(path) as image:
        image_format = str(image.format)
        icc = image.info.get("icc_profile")
        options: dict[str, Any] = {"icc_profile": icc} if icc else {}
        animated = getattr(image, "n_frames", 1) > 1
        if animated:
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
            options |= {"save_all": True, "append_images": frames[1:], "loop": image.info.get("loop", 0)}
            options["duration"] = [frame.info.get("duration", 100) for frame in frames]
            first = frames[0]
        elif image_format == "JPEG" and image.getexif().get(0x0112, 1) == 1:
            first = image  # not rotated: the same quantisation, no loss
            options |= {"quality": "keep", "subsampling": "keep"}
        else:
            first = ImageOps.exif_transpose(image)
            options |= {"quality": 95} if image_format == "JPEG" else {}
        if image_format == "WEBP":
            options["lossless"] = b"VP8L" in path.read_bytes()[12:40]
        for frame in [first, *options.get("append_images", [])]:
            frame.info = {key: value for key, value in frame.info.items() if key in _KEPT_INFO}
        if "transparency" in first.info:
            options["transparency"] = first.info["transparency"]
        temporary = path.with_name(f".{path.name}.clean")
        first.save(temporary, image_format, **options)
    os.replace(temporary, path)


def clean_refusal(path: Path) -> str | None:
    """Why `handbook clean-image` leaves `path` alone: a link, not a file, or not an image it can rewrite."""
    from handbook.checks.filesafety import image_content_problem

    if path.is_symlink():
        return _("a symbolic link: not changed; replace it with the image itself")
    if not path.is_file():
        return _("no such file")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return _("not a PNG, JPEG, GIF or WebP image: not changed")
    return image_content_problem(path)


def command_clean_image(args: argparse.Namespace) -> int:
    from handbook.plaintext import visible_name

    failed = 0
    for name in args.paths:
        path, shown = Path(name), visible_name(name)
        refused = clean_refusal(path)
        if refused is not None:
            print(_("{path}: {message}", path=shown, message=refused))
            failed += 1
            continue
        try:
            clean_image(path)
            left = metadata_found(path)
        except OSError as error:  # the folder is not writable, the disk is full, …
            print(_("{path}: cannot clean the image: {error}", path=shown, error=error.strerror or _("the file cannot be written")))
            failed += 1
            continue
        except Exception:  # Pillow verified the file but cannot rewrite it
            print(_("{path}: cannot clean the image: Pillow cannot rewrite it; export it again from an image editor", path=shown))
            failed += 1
            continue
        finally:
            path.with_name(f".{path.name}.clean").unlink(missing_ok=True)
        if left:
            print(_("{path}: metadata left after cleaning: {found}", path=shown, found=", ".join(left)))
            failed += 1
        else:
            print(_("{path}: metadata removed", path=shown))
    return 1 if failed else 0


def add_command(subparsers: Any) -> None:
    """Register `handbook clean-image` on the CLI's subparsers."""
    clean = subparsers.add_parser(
        "clean-image",
        help=_("remove metadata (EXIF, GPS, XMP, text, comments) from images"),
        description=_("Rewrite each image without metadata, with its orientation applied and its colour profile kept."),
    )
    clean.add_argument("paths", nargs="+", metavar=_("PATH"), help=_("PNG, JPEG, GIF or WebP files to clean in place"))
    clean.set_defaults(func=command_clean_image)
