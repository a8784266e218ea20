"""Reproducible builds: two builds of the same sources with the same SOURCE_DATE_EPOCH, from two different
folders, give byte-identical sites, PDFs and search indexes included."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from support import VALID, assemble_site, mkdocs_build

pytestmark = pytest.mark.slow

SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_two_builds_give_byte_identical_sites(tmp_path: Path) -> None:
    sites = []
    for name in ("first", "second"):
        root = assemble_site(tmp_path / name, VALID)
        result = mkdocs_build(root, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        sites.append(digests(root / "site"))
    first, second = sites
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".pdf") for name in first) and any(name.startswith("pagefind/") for name in first)
    assert "sitemap.xml.gz" in first
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []
