"""Issue 18, personal data after a real normalisation and image metadata: the spellings a stranger tries.

Each kind has at least three variants. Personal data is written as a reader sees it but a search does not:
Markdown escapes, markup inside an address, a number split over lines, compatibility forms, ` @ `, a year
after a number, percent-encoding, `+32 (0)`, `0032`, in a practice's text, its front matter, practice.yml,
a study day and a file name. Images carry metadata: EXIF (author, description, GPS, user comment), XMP,
IPTC, PNG text chunks and eXIf, JPEG and GIF comments, WebP EXIF and XMP chunks, data after the image.
`DOCS_CASES`: the same spellings in the site's own pages (checked once `trust.docs_problems` calls
`personal_data`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hostile import EVENT, FACTS, NL, PRACTICE, Case, body, event_field, file_bytes, front, introduction, replace

EMAIL = "e-mail address 'jan.peeters@stad.be'"
PHONE = "phone number"


def image(image_format: str, **options: Any) -> bytes:
    """A small image in `image_format`, saved by Pillow with `options` (its metadata)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, image_format, **options)
    return buffer.getvalue()


def exif(**tags: Any) -> bytes:
    """EXIF with the given tags: `artist`, `description`, `gps` (degrees), `user_comment`, `orientation`."""
    from PIL import Image

    data = Image.Exif()
    if "artist" in tags:
        data[0x013B] = tags["artist"]
    if "description" in tags:
        data[0x010E] = tags["description"]
    if "orientation" in tags:
        data[0x0112] = tags["orientation"]
    if "gps" in tags:
        gps = data.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 1.0, 42.0), "E", (4.0, 28.0, 30.0)
    if "user_comment" in tags:
        data.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + tags["user_comment"].encode()
    return data.tobytes()


def png_text(kind: str, key: str, value: str) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if kind == "tEXt":
        info.add_text(key, value)
    elif kind == "zTXt":
        info.add_text(key, value, zip=True)
    else:
        info.add_itxt(key, value, lang="nl", zip=False)
    return image("PNG", pnginfo=info)


def with_iptc(jpeg: bytes) -> bytes:
    """A JPEG with a Photoshop (IPTC) segment after its start marker."""
    segment = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x50\x00\x07Jan Pee"
    return jpeg[:2] + b"\xff\xed" + (len(segment) + 2).to_bytes(2, "big") + segment + jpeg[2:]


def with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """A PNG with a private chunk before its end (a valid CRC: Pillow reads it and skips it)."""
    import zlib

    chunk = len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    return png[:-12] + chunk + png[-12:]


def picture(name: str, data: Callable[[], bytes]) -> Callable[[Path], None]:
    """Put an image, built when the case is applied (Pillow is imported only then), in the practice."""
    return lambda root: file_bytes(name, data())(root)


def facts(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace(root, FACTS, old, new)


def docs(text: str) -> Callable[[Path], None]:
    return lambda root: replace(root, "docs/over.nl.md", "\n\n", f"\n\n{text}\n\n")


IMAGE = f"{PRACTICE}/foto"

CASES: list[Case] = [
    # Markdown escapes
    Case("personal", "escape-dot", body(r"Mail jan.peeters@stad\.be."), NL, EMAIL),
    Case("personal", "escape-at", body(r"Mail jan\.peeters\@stad.be."), NL, EMAIL),
    Case("personal", "escape-all", body(r"Mail jan\.peeters\@stad\.be."), NL, EMAIL),
    Case("personal", "escape-phone", body(r"Bel 015\-29\-76\-54."), NL, PHONE),
    # markup inside an address
    Case("personal", "tag-inside", body("Mail jan.<b>peeters</b>@stad.be."), NL, EMAIL),
    Case("personal", "span-inside", body('Mail jan.pee<span class="x">ters</span>@stad.be.'), NL, EMAIL),
    Case("personal", "emphasis-inside", body("Mail jan.*peeters*@stad.be."), NL, EMAIL),
    Case("personal", "strong-inside", body("Mail jan.**peeters**@stad.be."), NL, EMAIL),
    Case("personal", "code-inside", body("Mail `jan.peeters`@stad.be."), NL, EMAIL),
    Case("personal", "underscore-emphasis", body("Mail jan._peeters_@stad.be."), NL, EMAIL),
    # a number over two lines (a soft line break)
    Case("personal", "phone-two-lines", body("Bel 015 29\n76 54 voor een afspraak."), NL, PHONE),
    Case("personal", "mobile-two-lines", body("Bel 0470 12\n34 56 voor een afspraak."), NL, PHONE),
    Case("personal", "phone-three-lines", body("Bel 015\n29 76\n54 voor een afspraak."), NL, PHONE),
    # Unicode compatibility forms
    Case("personal", "fullwidth", body("Mail ｊａｎ．ｐｅｅｔｅｒｓ＠ｓｔａｄ．ｂｅ."), NL, EMAIL),
    Case("personal", "small-at", body("Mail jan.peeters\ufe6bstad.be."), NL, EMAIL),
    Case("personal", "fullwidth-at", body("Mail jan.peeters\uff20stad.be."), NL, EMAIL),
    Case("personal", "fullwidth-digits", body("Bel ０１５ ２９ ７６ ５４."), NL, PHONE),
    Case("personal", "fullwidth-brackets", body("Mail jan.peeters［at］stad.be."), NL, EMAIL),
    # spaces around @
    Case("personal", "spaced-at", body("Mail jan.peeters @ stad.be."), NL, EMAIL),
    Case("personal", "space-after-at", body("Mail jan.peeters@ stad.be."), NL, EMAIL),
    Case("personal", "tabs-at", body("Mail jan.peeters\t@\tstad.be."), NL, EMAIL),
    # a number followed or preceded by a year or another number
    Case("personal", "phone-year", body("Bel 015 29 76 54 2019 was het nummer."), NL, "'015 29 76 54'"),
    Case("personal", "mobile-year", body("Sinds 0470 12 34 56 2020 bereikbaar."), NL, "'0470 12 34 56'"),
    Case("personal", "year-phone", body("In 2019 015 29 76 54 gebeld."), NL, "'015 29 76 54'"),
    Case("personal", "two-phones", body("Bel 015 29 76 54 015 29 76 55."), NL, "+3215297655"),
    # percent-encoding in a mailto: link
    Case("personal", "mailto-percent", body("[Mail ons](mailto:jan%2Epeeters%40stad.be)"), NL, EMAIL),
    Case("personal", "mailto-percent-html", body('<a href="mailto:%6A%61%6E.peeters%40stad.be">mail</a>'), NL, EMAIL),
    Case("personal", "mailto-percent-utf8", body("[Mail](mailto:jan.peeters%EF%BC%A0stad.be)"), NL, EMAIL),
    Case("personal", "entity-percent", body("Mail jan.peeters&#37;40stad.be."), NL, EMAIL),
    # international forms
    Case("personal", "plus32-zero", body("Bel +32 (0)15 29 76 54."), NL, "+3215297654"),
    Case("personal", "zero032", body("Bel 0032 15 29 76 54."), NL, "+3215297654"),
    Case("personal", "plus32-zero-mobile", body("Bel +32 (0)470 12 34 56."), NL, "+32470123456"),
    # obfuscations (already handled; kept)
    Case("personal", "braces-dot", body("Mail jan.peeters {at} stad {dot} be."), NL, EMAIL),
    Case("personal", "paren-at-dot", body("Mail jan.peeters (at) stad (dot) be."), NL, EMAIL),
    Case("personal", "bracket-at-dot", body("Mail jan.peeters [at] stad [dot] be."), NL, EMAIL),
    # front matter, practice.yml, a study day
    Case("personal", "title-fullwidth", front("title", "Alfa, vragen aan jan.peeters＠stad.be"), NL, EMAIL),
    Case("personal", "summary-escape", front("summary", r"Een testpraktijk over school en jeugdwerk; vragen aan jan.peeters\@stad\.be voor leerkrachten."), NL, EMAIL),
    Case("personal", "summary-phone-year", front("summary", "Een testpraktijk over school en jeugdwerk; bel 015 29 76 54 2019 voor leerkrachten en jeugdwerkers."), NL, PHONE),
    Case("personal", "facts-organisation", facts("organisation: Stad Mechelen", "organisation: Stad Mechelen, jan.peeters ＠ stad.be"), FACTS, EMAIL),
    Case("personal", "facts-partner", facts("partners: [Lokale politie, CLB]", "partners: [Lokale politie, 'CLB 015 29 76 54 2019']"), FACTS, PHONE),
    Case("personal", "facts-link-label", facts("{nl: Website van VVSG,", r"{nl: 'Website jan\.peeters\@stad.be',"), FACTS, EMAIL),
    Case("personal", "event-venue", event_field("venue: Congrescentrum Lamot", "venue: Congrescentrum Lamot, ｊａｎ．ｐｅｅｔｅｒｓ＠ｓｔａｄ．ｂｅ"), EVENT, EMAIL),
    Case("personal", "event-intro-lines", introduction("Bel 015 29\n76 54 voor meer."), EVENT, PHONE),
    Case("personal", "event-intro-emphasis", introduction("Mail jan.*peeters*@stad.be."), EVENT, EMAIL),
    # file names
    Case("personal", "file-name-email", picture("jan.peeters@stad.be.png", lambda: image("PNG")), f"{PRACTICE}/jan.peeters@stad.be.png", "file name"),
    Case("personal", "file-name-phone", picture("0470123456.png", lambda: image("PNG")), f"{PRACTICE}/0470123456.png", "file name"),
    Case("personal", "file-name-phone-underscores", picture("bel_015_29_76_54.jpg", lambda: image("JPEG")), f"{PRACTICE}/bel_015_29_76_54.jpg", "file name"),
    # image metadata: EXIF
    Case("metadata", "jpeg-exif-gps", picture("foto.jpg", lambda: image("JPEG", exif=exif(gps=True))), f"{IMAGE}.jpg", "gps position"),
    Case("metadata", "jpeg-exif-author", picture("foto.jpg", lambda: image("JPEG", exif=exif(artist="Jan Peeters"))), f"{IMAGE}.jpg", "author"),
    Case("metadata", "jpeg-exif-description", picture("foto.jpg", lambda: image("JPEG", exif=exif(description="jan@stad.be, 015 29 76 54"))), f"{IMAGE}.jpg", "personal data"),
    Case("metadata", "jpeg-user-comment", picture("foto.jpg", lambda: image("JPEG", exif=exif(user_comment="Jan thuis"))), f"{IMAGE}.jpg", "user comment"),
    Case("metadata", "png-exif", picture("foto.png", lambda: image("PNG", exif=exif(artist="Jan", gps=True))), f"{IMAGE}.png", "gps position (exif), author (exif)"),
    Case("metadata", "webp-exif", picture("foto.webp", lambda: image("WEBP", exif=exif(gps=True))), f"{IMAGE}.webp", "gps position"),
    # XMP and IPTC
    Case("metadata", "jpeg-xmp", picture("foto.jpg", lambda: image("JPEG", xmp=b"<x:xmpmeta><dc:creator>Jan</dc:creator></x:xmpmeta>")), f"{IMAGE}.jpg", "xmp"),
    Case("metadata", "webp-xmp", picture("foto.webp", lambda: image("WEBP", xmp=b"<x:xmpmeta>Jan</x:xmpmeta>")), f"{IMAGE}.webp", "xmp"),
    Case("metadata", "png-xmp", picture("foto.png", lambda: png_text("iTXt", "XML:com.adobe.xmp", "<x:xmpmeta>Jan</x:xmpmeta>")), f"{IMAGE}.png", "xmp"),
    Case("metadata", "jpeg-iptc", picture("foto.jpg", lambda: with_iptc(image("JPEG"))), f"{IMAGE}.jpg", "iptc"),
    # PNG text chunks
    Case("metadata", "png-text", picture("foto.png", lambda: png_text("tEXt", "Author", "Jan Peeters")), f"{IMAGE}.png", "text chunks"),
    Case("metadata", "png-ztext", picture("foto.png", lambda: png_text("zTXt", "Comment", "jan@stad.be")), f"{IMAGE}.png", "personal data"),
    Case("metadata", "png-itext", picture("foto.png", lambda: png_text("iTXt", "Description", "Jan thuis")), f"{IMAGE}.png", "text chunks"),
    # comments
    Case("metadata", "jpeg-comment", picture("foto.jpg", lambda: image("JPEG", comment=b"Jan Peeters")), f"{IMAGE}.jpg", "comment"),
    Case("metadata", "gif-comment", picture("foto.gif", lambda: image("GIF", comment=b"jan@stad.be")), f"{IMAGE}.gif", "comment"),
    Case("metadata", "gif-comment-phone", picture("foto.gif", lambda: image("GIF", comment=b"015 29 76 54")), f"{IMAGE}.gif", "personal data"),
    # data after the image
    Case("metadata", "png-trailing", picture("foto.png", lambda: image("PNG") + b"jan@stad.be"), f"{IMAGE}.png", "after the end"),
    Case("metadata", "png-private-chunk", picture("foto.png", lambda: with_chunk(image("PNG"), b"prVt", b"jan@stad.be")), f"{IMAGE}.png", "other embedded data"),
    Case("metadata", "webp-trailing", picture("foto.webp", lambda: image("WEBP") + b"jan@stad.be"), f"{IMAGE}.webp", "after the end"),
]  # fmt: skip

DOCS_CASES: list[Case] = [
    Case("docs-personal", "escape", docs(r"Mail jan.peeters@stad\.be."), "docs/over.nl.md", EMAIL),
    Case("docs-personal", "emphasis", docs("Mail jan.*peeters*@stad.be."), "docs/over.nl.md", EMAIL),
    Case("docs-personal", "two-lines", docs("Bel 015 29\n76 54 voor meer."), "docs/over.nl.md", PHONE),
]  # fmt: skip
