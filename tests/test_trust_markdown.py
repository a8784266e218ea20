"""Issue 18, Markdown: every body rendered and judged, reserved names refused, nesting and slowness
bounded by `markdown_limits.py` (and YAML nesting by `yaml_reader`), with messages, never a traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from handbook.checks import markdown_limits
from handbook.checks.filesafety import MAX_TEXT_BYTES
from handbook.checks.markdown_limits import bracket_scan, depth, limits, tag_scan
from handbook.checks.safety import Renderer, source_findings, without_code_spans
from handbook.content import yaml_reader
from hostile import NL, body, copy_of, problems_of
from hostile_markdown import deep_list
from support import REPO, handbook_check, mkdocs_build, repo_settings, root_settings

# --- linear time: inputs built to be slow that stay under the limits, at the size limit ----------------


def _filled(unit: str, padding: str = "", prefix: str = "") -> str:
    """`prefix`, as many `unit`s as the limits allow (found by bisection), then `padding`, within the text size limit."""
    size = MAX_TEXT_BYTES - 8_000 - len(padding) - len(prefix)
    low, high = 1, size // len(unit)
    while low < high:
        middle = (low + high + 1) // 2
        if limits(prefix + unit * middle + padding):
            high = middle - 1
        else:
            low = middle
    return prefix + unit * low + padding


SLOW_INPUTS = {
    "backticks-letters-link": "a" + "`" * 1200 + "b" * 1200 + " [x](y)",  # the case: 37 s before
    "backtick-pairs": _filled("``a`"),
    "open-brackets-padded": _filled("[", " a" * 90_000),
    "open-brackets-alternating": _filled("[a"),
    "unclosed-tags-padded": _filled("<b \n\n", " a" * 80_000),
    "unclosed-tag-attributes": _filled("<a x='>' "),
    "emphasis-runs": _filled("*a**b"),
    "loose-list": _filled("- a\n\n"),
    "definition-list": _filled("a\n:   "),
    "setext-headings": _filled("a\n=\n\n"),
    "fences": _filled("```\na\n```\n\n"),
    "footnote-references": _filled("[^1]: x\n\n[^1]\n\n"),
    "abbreviations": _filled("*[A]: x\n") + "A " * 100,
    "one-long-line": "woord " * 32_000,
    "html-blocks": _filled("<div>a</div>\n\n"),
    "quote-continued": _filled(" a\n", prefix=">" * 20 + " a\n"),
    "unclosed-end-tags": _filled("</"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SLOW_INPUTS))
def test_a_text_built_to_be_slow_is_checked_in_time(name: str, template: Path, tmp_path: Path) -> None:
    root = copy_of(template, tmp_path)
    body(SLOW_INPUTS[name])(root)
    settings = root_settings(root)  # MkDocs reads mkdocs.yml once; the time is the check's
    start = time.process_time()
    problems = problems_of(root, settings)
    took = time.process_time() - start
    assert all(re.match(r"^[^\s:]+:\d+: ", problem) for problem in problems)
    assert took < 3.0, f"{name}: {took:.2f} s"  # generous for CI: about 0.4 s at most on a developer's machine


def test_code_spans_are_blanked_in_linear_time() -> None:
    assert without_code_spans("a `b` c ``d`e`` f") == "a " + " " * 3 + " c " + " " * 7 + " f"
    assert without_code_spans("a ``b` c") == "a ``b` c"  # runs of different lengths do not pair
    line = "a" + "`" * 20_000 + "b" * 20_000 + "](javascript:x)"
    start = time.process_time()
    assert without_code_spans(line) == line
    assert [finding.key for _, finding in source_findings(line)][-1] == ("source-url", "javascript")
    assert time.process_time() - start < 0.5


# --- the limits --------------------------------------------------------------------------------------


def test_depth_counts_indentation_quotes_and_markers() -> None:
    assert [depth(line) for line in ["a", "- a", "    - b", "> > a", "- - - a", "\t- x", "1. 2) a", "-a"]] == [0, 1, 2, 2, 3, 2, 2, 0]


def test_limits_name_the_line() -> None:
    text = "Tekst.\n\n" + deep_list(25)
    assert [limit.index for limit in limits(text)] == [2 + markdown_limits.MAX_DEPTH]
    assert limits("a\n" * 1000) == ()


def test_bracket_and_tag_scans_measure_what_the_parser_reads() -> None:
    assert bracket_scan("[a](b) [c]") == 4
    assert bracket_scan("[[") == 3
    assert tag_scan("<b>x</b>")[0] == 2
    assert tag_scan("<b " + "a " * 10, cap=5) == (23, 0)
    assert tag_scan("<b>x</b>")[0] == 2


def test_the_real_content_stays_far_below_every_limit() -> None:
    """The limits are far above what the handbook holds: at most a third of each, measured."""
    texts = [
        path.read_text(encoding="utf-8") for path in [*REPO.glob("practices/*/*.md"), *REPO.glob("docs/**/*.md"), REPO / "CONTRIBUTING.md"]
    ]
    for bound in ("MAX_MARKS", "MAX_WORK", "MAX_TAG_SCAN", "MAX_TAGS", "MAX_OPENERS", "MAX_FOOTNOTE_REFERENCES"):
        original = getattr(markdown_limits, bound)
        setattr(markdown_limits, bound, original // 3)
        try:
            assert [text[:40] for text in texts if limits(text)] == [], bound
        finally:
            setattr(markdown_limits, bound, original)
    assert max(depth(line) for text in texts for line in text.splitlines()) <= 4


def test_the_renderer_refuses_what_would_recurse_too_deep_instead_of_raising() -> None:
    renderer = Renderer(repo_settings().markdown.contributed)
    assert renderer.render(deep_list(300)) is None
    assert renderer.render("> " * 1000 + "a") is None


def test_yaml_nesting_is_refused_with_its_line() -> None:
    with pytest.raises(yaml_reader.YamlError) as error:
        yaml_reader.load("a: 1\nb: " + "[" * 600 + "]" * 600, first_line=3)
    assert error.value.line == 4 and "nested more than 20 levels" in error.value.message
    assert yaml_reader.load("a: " + "[" * 19 + "]" * 19).data is not None


# --- the build refuses it too, with the message ------------------------------------------------------


@pytest.mark.slow
def test_the_build_refuses_a_deep_list_with_a_message_not_a_traceback(template: Path, tmp_path: Path) -> None:
    root = copy_of(template, tmp_path)
    body(deep_list(260))(root)
    check = handbook_check(root)
    assert check.returncode == 1
    build = mkdocs_build(root, "-d", str(tmp_path / "site"), HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    output = build.stdout + build.stderr
    assert build.returncode != 0
    assert "nested more than 20 levels" in output and f"{NL}:" in output
    assert "Traceback" not in output and "RecursionError" not in output
