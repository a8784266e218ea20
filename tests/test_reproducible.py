"""Reproducible builds: two builds of the same sources with the same SOURCE_DATE_EPOCH, from two different
folders, give byte-identical sites, PDFs and search indexes included. The first is the session's fixture
site (built with SOURCE_DATE_EPOCH, see conftest.py); the second a new copy, without the first's PDF cache."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import BuiltSite
from support import VALID, assemble_site, mkdocs_build

pytestmark = pytest.mark.slow


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_two_builds_give_byte_identical_sites(built_site: BuiltSite, tmp_path: Path) -> None:
    root = assemble_site(tmp_path / "second", VALID)
    assert root.resolve() != built_site.root.resolve() and not (root / ".cache").exists()
    result = mkdocs_build(root, **built_site.env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    first, second = digests(built_site.site), digests(root / "site")
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".pdf") for name in first) and any(name.startswith("pagefind/") for name in first)
    assert "sitemap.xml.gz" in first
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []
