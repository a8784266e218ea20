"""Shared helpers of the quality gates: the reviewed waivers (tests/waivers.yml) and the built pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from support import TESTS

WAIVERS = TESTS / "waivers.yml"


@dataclass(frozen=True)
class Waivers:
    axe: list[dict[str, str]]
    vnu: list[dict[str, str]]

    def waives_axe(self, rule: str, selector: str) -> bool:
        return any(entry["rule"] == rule and entry["selector"] == selector for entry in self.axe)

    def waives_vnu(self, message: str) -> bool:
        return any(entry["message"] in message for entry in self.vnu)


def load_waivers(path: Path = WAIVERS) -> Waivers:
    """The waiver file; every entry must carry a written reason."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    axe, vnu = list(data.get("axe") or []), list(data.get("vnu") or [])
    for entry in axe:
        assert set(entry) == {"rule", "selector", "reason"} and str(entry["reason"]).strip(), (
            f"axe waiver needs rule, selector and reason: {entry}"
        )
    for entry in vnu:
        assert set(entry) == {"message", "reason"} and str(entry["reason"]).strip(), f"vnu waiver needs message and reason: {entry}"
    return Waivers(axe, vnu)


def html_files(site: Path) -> list[Path]:
    """Every built HTML page (Pagefind's bundle holds none)."""
    return sorted(site.rglob("*.html"))


def page_language(site: Path, page: Path) -> str:
    """nl for the default language, en for everything under /en/."""
    return "en" if page.relative_to(site).parts[0] == "en" else "nl"
