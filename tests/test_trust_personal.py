"""Issue 18: personal data is found in the text as a reader sees it, and images with metadata are refused.

Every case of tests/hostile_personal.py goes through `handbook check` (`load_content`, the gate the build
runs too); pure functions are tested on their own: the normalisation keeps offsets, known non-hits stay
quiet, the time stays linear, and `handbook clean-image` leaves an image the check accepts.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from handbook.checks.image_metadata import clean_image, image_problem, metadata_found
from handbook.checks.personal_data import Contacts, personal_data
from handbook.checks.reader_text import seen, visible_text, without_markup
from hostile import problems_of
from hostile_personal import exif, image, png_text
from support import REPO

CONTACTS = Contacts(emails=frozenset({"info@vvsg.be", "dienst_welzijn@stad.be"}), phones=frozenset({"+3222115500"}))


def test_the_template_is_clean(template: Path) -> None:
    assert problems_of(template) == []


# --- personal data: pure functions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (r"jan.peeters@mechelen\.be", "jan.peeters@mechelen.be"),
        (r"jan\.peeters\@mechelen.be", "jan.peeters@mechelen.be"),
        ("jan.<b>peeters</b>@stad.be", "jan.peeters@stad.be"),
        ("jan.*peeters*@stad.be", "jan.peeters@stad.be"),
        ("`jan`@stad.be", "jan@stad.be"),
        ("ｊａｎ＠ｓｔａｄ．ｂｅ", "jan@stad.be"),
        ("jan﹫stad.be", "jan@stad.be"),
        ("jan @ stad.be", "jan@stad.be"),
        ("mailto:jan%2Epeeters%40stad.be", "jan.peeters@stad.be"),
        ("jan&amp;#64;stad.be", "jan@stad.be"),
        ("jan {at} stad {dot} be", "jan@stad.be"),
    ],
)
def test_every_spelling_of_an_address_is_found(text: str, shown: str) -> None:
    found = personal_data(f"Mail {text} nu.", CONTACTS)
    assert [message.split("'")[1] for _offset, message in found] == [shown]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("015 29\n76 54", "+3215297654"),
        ("015 29 76 54 2019", "+3215297654"),
        ("2019 015 29 76 54", "+3215297654"),
        ("+32 (0)15 29 76 54", "+3215297654"),
        ("0032 15 29 76 54", "+3215297654"),
        ("０１５ ２９ ７６ ５４", "+3215297654"),
        ("015&#32;29&#32;76&#32;54", "+3215297654"),
    ],
)
def test_every_spelling_of_a_phone_number_is_found(text: str, number: str) -> None:
    found = personal_data(f"Bel {text} nu.", CONTACTS)
    assert len(found) == 1 and f"({number})" in found[0][1], found


@pytest.mark.parametrize(
    "text",
    [
        "Schrijf `info@vvsg.be`, *info@vvsg.be* of info\\@vvsg\\.be; of ｉｎｆｏ＠ｖｖｓｇ．ｂｅ.",  # allow-listed, however written
        "Mail dienst_welzijn@stad.be of _dienst_welzijn@stad.be_.",  # an underscore inside a word is no emphasis
        "Bel +32 (0)2 211 55 00 of 0032 2 211 55 00.",
        "Postcode 2800 Mechelen, 1000 Brussel en 9000 Gent; in 2019 2020 en 2021.",
        "Van 2015 tot 2019\n2020 deelnemers en 30 vrijwilligers.",
        "Artikel 458bis Sw.; artikel 458\nter; KBO 0207.437.468 en BE 0207 437 468.",
        "Tabel: 01 02 03 04 05 06 07 08 09 10.",
        "Op 12/03/2019, 14.06.2020 of 2018-09-14, om 14:30; € 1.250.000,00 en 10% korting.",
        "Een @-teken zonder adres, iemand @ zonder domein, 20 @ 30 euro.",
        "https://www.ejustice.just.fgov.be/eli/wet/2018/07/30/2018031809/justel en %20 in een adres.",
        "De *nadruk*, `code`, <b>vet</b> en _schuin_ zonder gegevens.",
        "Meer dan 1 200 000 euro voor 2015-2016, 0,5 % en 15 000 jongeren.",
    ],
)
def test_what_is_not_personal_data_still_passes(text: str) -> None:
    assert personal_data(text, CONTACTS) == []


def test_offsets_point_at_the_source() -> None:
    text = "Regel een.\nMail jan.*peeters*@stad.be.\nBel 015 29\n76 54 of\nschrijf ｊａｎ＠ｓｔａｄ．ｂｅ."
    lines = [text.count("\n", 0, offset) + 1 for offset, _message in personal_data(text, CONTACTS)]
    assert lines == [2, 3, 5]
    plain, offsets = seen(text)
    assert len(offsets) == len(plain) + 1
    position = plain.index("jan@stad.be")
    assert text[offsets[position] :].startswith("ｊａｎ")
    bare, bare_offsets = without_markup((plain, offsets))
    assert "jan.peeters@stad.be" in bare and text[bare_offsets[bare.index("jan.peeters")] :].startswith("jan.*")


def test_the_rendered_html_is_read_when_given() -> None:
    text = "Mail jan.pee[^1]ters@stad.be.\n\n[^1]: x"
    html = "<p>Mail jan.peeters@stad.be.</p>"
    found = personal_data(text, CONTACTS, html=html)
    assert any("'jan.peeters@stad.be'" in message and offset == 5 for offset, message in found), found
    assert (
        visible_text('<p>a<b>b</b></p><p><a href="mailto:x%40y.be" title="t">c</a></p>')
        == "\n\nab\n\n\n\n\n\nmailto:x%40y.be\n\n\n\nt\n\nc\n\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "\\." * 100_000,
        "`a " * 66_000,
        "<b>a " * 40_000,
        "<a" * 100_000,
        " " * 200_000 + "@",
        "&amp;" * 40_000,
        "%41" * 66_000,
        "＠" * 100_000,
        "jan.*peeters*@stad.be " * 9_000,
        "Een zin met 2019 en *nadruk* en [een link](https://x.be) en a_b. " * 3_000,
        " ".join(f"0{index % 10}" for index in range(66_000)),
    ],
    ids=["escapes", "backticks", "tags", "open-tags", "spaces", "entities", "percent", "fullwidth", "addresses", "prose", "digit-groups"],
)
def test_personal_data_takes_linear_time(text: str) -> None:
    start = time.process_time()
    personal_data(text, CONTACTS)
    assert time.process_time() - start < 3.0


# --- image metadata -------------------------------------------------------------------------------------


def _saved(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_metadata_is_named(tmp_path: Path) -> None:
    path = _saved(tmp_path, "foto.jpg", image("JPEG", exif=exif(artist="Jan", gps=True, description="jan@stad.be"), comment=b"x"))
    assert metadata_found(path) == [
        "personal data (an e-mail address or phone number)",
        "GPS position (EXIF)",
        "author (EXIF)",
        "description (EXIF)",
        "a comment (EXIF, JPEG or GIF)",
    ]
    message = image_problem(path)
    assert message is not None and "handbook clean-image foto.jpg" in message


def test_harmless_data_is_kept(tmp_path: Path) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for name, data in [
        ("plain.png", image("PNG")),
        ("rotated.jpg", image("JPEG", exif=exif(orientation=6))),
        ("icc.png", image("PNG", icc_profile=profile, dpi=(300, 300))),
        ("icc.webp", image("WEBP", icc_profile=profile)),
        ("plain.gif", image("GIF")),
    ]:
        assert metadata_found(_saved(tmp_path, name, data)) == [], name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.jpg", lambda: image("JPEG", exif=exif(artist="Jan", gps=True, orientation=6), comment=b"x", xmp=b"<x/>")),
        ("b.jpg", lambda: image("JPEG", exif=exif(artist="Jan"), comment=b"jan@stad.be")),
        ("c.png", lambda: png_text("zTXt", "Comment", "jan@stad.be")),
        ("d.webp", lambda: image("WEBP", exif=exif(gps=True), xmp=b"<x/>")),
        ("e.gif", lambda: image("GIF", comment=b"jan@stad.be")),
        ("f.png", lambda: image("PNG", exif=exif(gps=True)) + b"trailing"),
    ],
)
def test_clean_image_removes_the_metadata_and_keeps_the_picture(name: str, data: Any, tmp_path: Path) -> None:
    path = _saved(tmp_path, name, data())
    assert metadata_found(path)
    with Image.open(path) as before:
        size = before.size
        rotated = before.getexif().get(0x0112) == 6
    clean_image(path)
    assert metadata_found(path) == []
    assert image_problem(path) is None
    with Image.open(path) as after:
        assert after.size == (size[::-1] if rotated else size)


def test_clean_image_keeps_the_colour_profile_and_the_animation(tmp_path: Path) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = _saved(tmp_path, "icc.jpg", image("JPEG", icc_profile=profile, exif=exif(artist="Jan")))
    clean_image(path)
    with Image.open(path) as cleaned:
        assert cleaned.info.get("icc_profile") == profile
    frames = [Image.new("RGB", (4, 4), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0, comment=b"Jan")
    path = _saved(tmp_path, "anim.gif", buffer.getvalue())
    assert metadata_found(path) == ["a comment (EXIF, JPEG or GIF)"]
    clean_image(path)
    with Image.open(path) as cleaned:
        assert cleaned.n_frames == 3
    assert metadata_found(path) == []


def test_the_clean_image_command(tmp_path: Path) -> None:
    dirty = _saved(tmp_path, "foto.jpg", image("JPEG", exif=exif(gps=True)))
    broken = _saved(tmp_path, "kapot.png", b"not an image")
    outside = tmp_path / "outside.png"
    outside.write_bytes(image("PNG"))
    link = tmp_path / "link.png"
    link.symlink_to(outside)
    before = outside.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "handbook.cli",
            "clean-image",
            str(dirty),
            str(broken),
            str(link),
            str(tmp_path / "weg.jpg"),
            str(tmp_path / "a\nb.png"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(REPO / "scripts"), "HANDBOOK_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1, result
    assert f"{dirty}: metadata removed" in result.stdout
    assert f"{broken}: unsafe content: the file is not a PNG image" in result.stdout
    assert f"{link}: a symbolic link: not changed" in result.stdout and outside.read_bytes() == before
    assert f"{tmp_path / 'weg.jpg'}: no such file" in result.stdout
    assert f"{tmp_path}/a\\u000ab.png: no such file" in result.stdout  # a name cannot forge a line
    assert "Error" not in result.stdout and "Traceback" not in result.stderr
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # nothing left behind
    assert metadata_found(dirty) == []


def test_the_repositorys_images_hold_no_metadata() -> None:
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files"], capture_output=True, text=True, check=True).stdout.split("\n")
    images = [REPO / name for name in listed if Path(name).suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp"}]
    assert images
    assert {str(path.relative_to(REPO)): metadata_found(path) for path in images if metadata_found(path)} == {}
