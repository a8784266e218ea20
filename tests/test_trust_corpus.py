"""Issue 18: the whole hostile corpus, kind by kind, and the build refusing what the check refuses.

Each corpus module (`tests/hostile*.py`) lists cases of `hostile.Case`. Here every case goes through
`handbook check` (`load_content`): it must be named in its file, every problem one `path:line: message`
line, in time. Every kind of the issue's table has at least three variants, no two cases share a name,
and for each corpus a group of cases fails the real build with the very lines the check prints, before
any practice page is written. The modules' own tests (`test_hostile.py`, `test_trust_*.py`) test the rest.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import hostile
import hostile_csp
import hostile_docs
import hostile_markdown
import hostile_names
import hostile_personal
from hostile import assert_refused, copy_of, problems_of
from support import handbook_check, mkdocs_build

CORPORA = {
    "hostile": hostile.CASES,
    "docs": hostile_docs.CASES,
    "personal": hostile_personal.CASES + hostile_personal.DOCS_CASES,
    "markdown": hostile_markdown.CASES,
    "names": hostile_names.CASES,
    "urls": hostile_csp.CASES,
}
ALL_CASES = [case for cases in CORPORA.values() for case in cases]

# The kinds of the issue's table that contributed files can try, each with the routes of the corpus that
# try it. The others are tested where they live: the policy and the built-page check (any `<script src>`,
# redirects) in test_trust_csp.py, the configured folders in test_trust_names.py, the PDF appendix and
# Material's printing of front matter in test_trust_docs.py.
KINDS: dict[str, set[str]] = {
    "front matter of docs/ pages": {"docs-front"},
    "files under docs/ that are not pages": {"docs-files"},
    "a theme template chosen by front matter": {"docs-template"},
    "the check parses differently from the build": {"docs-block", "docs-include"},
    "the Markdown check skipped bodies": {"reserved", "docs-markdown"},
    "personal data": {"personal", "docs-personal"},
    "image metadata": {"metadata"},
    "check time": {"slow"},
    "tracebacks (nesting)": {"nesting"},
    "output formats": {"xml"},
    "ids and names": {"ids", "names", "same"},
    "source URLs": {
        "source-ip",
        "source-local",
        "source-credentials",
        "source-lookalike",
        "source-port",
        "source-scheme",
        "source-accessed",
        "link-url",
    },
}
APPENDIX = [case for case in hostile_docs.CASES if case.path == hostile_docs.TEMPLATE]


def test_every_kind_of_the_issue_has_at_least_three_variants() -> None:
    routes = Counter(case.route for case in ALL_CASES)
    for kind, kind_routes in KINDS.items():
        assert sum(routes[route] for route in kind_routes) >= 3, kind
    assert len(APPENDIX) >= 3  # the front matter of a page the PDF appendix prints
    assert len({(case.route, case.name) for case in ALL_CASES}) == len(ALL_CASES)


# Cases that can be applied to one copy together (each changes another place), per group.
BUILD_GROUPS: dict[str, list[str]] = {
    "texts": [
        "title-comment-breakout",
        "handbook-intro-snippet",
        "vocabulary-label-script",
        "meta-in-comment",
        "config-div-config",
        "personal-entity",
    ],
    "files": ["files-symlink-passwd", "files-symlink-git-config", "images-svg-script"],
    "docs": [
        "docs-front-subtitle-script",
        "docs-template-redirect-location",
        "docs-front-title-script",
        "docs-front-template-page-attachment",
        "docs-include-after-marker",
    ],
    "docs-files": ["docs-files-upper-md", "docs-files-yml"],
    "personal": ["personal-escape-at", "personal-event-venue", "docs-personal-two-lines"],
    "metadata": ["metadata-jpeg-exif-gps", "metadata-png-text"],
    "markdown": ["reserved-details-drawer", "nesting-intro-list", "reserved-heading-consent"],
    "yaml": ["nesting-yaml-flow-600", "nesting-yaml-event-block"],
    "vocabularies": ["nesting-yaml-vocabularies"],  # nothing else is checked against broken vocabularies
    "names": ["names-newline-forges-a-line", "ids-docs-con-md", "same-handbook-case"],
    "urls": ["source-ip-metadata", "xml-event-venue"],
}


def test_the_template_is_clean(template: Path) -> None:
    assert problems_of(template) == []


def changes_the_pages(case: hostile.Case) -> bool:
    """A case reported in docs/ or the guide changes what the check renders of the site's 39 pages (slow)."""
    return case.path.startswith("docs/") or case.path == "CONTRIBUTING.md"


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=f"{case.route}-{case.name}", marks=[pytest.mark.slow] if changes_the_pages(case) else []) for case in ALL_CASES],
)
def test_handbook_check_refuses_every_hostile_case(case: hostile.Case, template: Path, tmp_path: Path) -> None:
    assert_refused(case, template, tmp_path)


def test_the_build_groups_name_cases_of_the_corpus() -> None:
    names = {f"{case.route}-{case.name}" for case in ALL_CASES}
    assert [name for group in BUILD_GROUPS.values() for name in group if name not in names] == []


@pytest.mark.slow
@pytest.mark.parametrize("group", sorted(BUILD_GROUPS))
def test_the_build_refuses_what_check_refuses(group: str, template: Path, tmp_path: Path) -> None:
    root = copy_of(template, tmp_path)
    by_name = {f"{case.route}-{case.name}": case for case in ALL_CASES}
    for name in BUILD_GROUPS[group]:
        by_name[name].apply(root)
    check = handbook_check(root)
    assert check.returncode == 1
    lines = [line for line in check.stdout.splitlines() if line.strip()]
    assert len(lines) >= len(BUILD_GROUPS[group])
    for name in BUILD_GROUPS[group]:
        case = by_name[name]
        assert any(line.startswith(f"{case.path}:") and case.mention.lower() in line.lower() for line in lines), (name, lines)
    build = mkdocs_build(root, "-d", str(tmp_path / "site"), HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    assert build.returncode != 0
    output = build.stdout + build.stderr
    assert "Traceback" not in output
    assert [line for line in lines if line not in output] == []
    assert not (tmp_path / "site" / "praktijken").exists()
