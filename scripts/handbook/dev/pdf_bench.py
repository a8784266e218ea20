"""The PDF benchmark: `handbook pdf` of N synthetic practices against WeasyPrint alone on the same HTML.

Each variant runs in a fresh interpreter (`python -m handbook.dev.pdf_bench VARIANT ARGS…`), so that its
peak memory is its own. The site benchmark is `bench.py`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from handbook.content.handbook_loading import check_handbooks, load_handbooks
from handbook.dev.bench import add_bench_arguments, leave_workdir, synthetic_practices
from handbook.gate import Settings, load_content, site_settings
from handbook.messages import _
from handbook.pdf.render import PRINT_DIR, PdfError, PdfOptions, assemble_html, build_pdf, render_with_weasyprint_alone
from handbook.settings import CONFIG_FILE

BENCH_HANDBOOK = "bench"


@dataclass(frozen=True)
class BenchRun:
    seconds: float
    peak_mb: float


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _bench_ours(workdir: str, output: str) -> BenchRun:
    """In a fresh process: the whole `handbook pdf` path, from reading the sources to the written file."""
    start = time.perf_counter()
    settings = Settings.load(Path(workdir) / CONFIG_FILE)
    layout = settings.layout
    content = load_content(settings)
    loaded = check_handbooks(layout.handbooks_dir, content.vocabularies, content.practices)
    if content.problems or loaded.problems:
        raise PdfError(f"benchmark content has problems: {(content.problems + loaded.problems)[:3]}")
    options = PdfOptions.of(settings, cache=False, progress=lambda message: None)
    build_pdf(loaded.by_id()[BENCH_HANDBOOK], content.practices, content.vocabularies, "nl", Path(output), options)
    return BenchRun(time.perf_counter() - start, _peak_mb())


def _bench_weasyprint(html_file: str, base_url: str, output: str, images: str) -> BenchRun:
    """In a fresh process: WeasyPrint alone, rendering the already assembled HTML with the same options
    (`images`: the practices folder, whose images it may read)."""
    start = time.perf_counter()
    html = Path(html_file).read_text(encoding="utf-8")
    render_with_weasyprint_alone(html, base_url, Path(output), [Path(images)])
    return BenchRun(time.perf_counter() - start, _peak_mb())


BENCH_VARIANTS: dict[str, Callable[..., BenchRun]] = {"ours": _bench_ours, "weasyprint": _bench_weasyprint}


def _in_fresh_process(variant: str, *args: str) -> BenchRun:
    """Run one variant in a new interpreter (`python -m handbook.dev.pdf_bench VARIANT ARGS…`), so its peak memory is its own."""
    result = subprocess.run(
        [sys.executable, "-m", "handbook.dev.pdf_bench", variant, *args], capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        raise PdfError(f"benchmark run '{variant}' failed:\n{result.stderr[-4000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return BenchRun(float(measured["seconds"]), float(measured["peak_mb"]))


def prepare_bench(settings: Settings, workdir: Path, count: int) -> Settings:
    """A content root with `count` synthetic practices and one handbook holding all of them, laid out as the site of `settings`."""
    root, layout = settings.root, settings.layout
    assert settings.config_file is not None
    shutil.copy2(settings.config_file, workdir / CONFIG_FILE)
    shutil.copytree(root / PRINT_DIR, workdir / PRINT_DIR)
    shutil.copytree(root / "overrides", workdir / "overrides")  # the theme's folder: MkDocs checks it exists
    bench = dataclasses.replace(layout, root=workdir)  # the same configuration: the same folders, in workdir
    bench.docs_dir.mkdir(parents=True)  # empty: the PDF prints no page of the site
    bench.practices_dir.mkdir(parents=True)
    bench.vocabularies_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(layout.vocabularies_file, bench.vocabularies_file)
    synthetic_practices(bench.practices_dir, layout.vocabularies_file, count)
    bench.handbooks_dir.mkdir(parents=True)
    definition = {
        "id": BENCH_HANDBOOK,
        "title": {"nl": f"Benchmark met {count} praktijken", "en": f"Benchmark with {count} practices"},
        "selection": {"all": True},
    }
    (bench.handbooks_dir / f"{BENCH_HANDBOOK}.yml").write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    return Settings.load(workdir / CONFIG_FILE)


def bench_pdf(settings: Settings, count: int, repeat: int = 1, keep: bool = False) -> int:
    """Time `handbook pdf` of `count` practices against WeasyPrint alone on the same HTML; print ratio and memory."""
    workdir = Path(tempfile.mkdtemp(prefix="handbook-pdf-bench-"))
    try:
        _run_bench(settings, workdir, count, repeat)
    finally:
        leave_workdir(workdir, keep)
    return 0


def _run_bench(settings: Settings, workdir: Path, count: int, repeat: int) -> None:
    print(f"Preparing {count} synthetic practices in {workdir} …", file=sys.stderr)
    bench = prepare_bench(settings, workdir, count)
    content = load_content(bench)
    handbook = load_handbooks(bench.layout.handbooks_dir, content.vocabularies).by_id()[BENCH_HANDBOOK]
    options = PdfOptions.of(bench, cache=False, progress=lambda message: None)
    html_file = workdir / "assembled.html"
    html_file.write_text(assemble_html(handbook, content.practices, content.vocabularies, "nl", options), encoding="utf-8")
    ours, alone = [], []
    for run in range(repeat):
        print(f"Run {run + 1}/{repeat}: handbook pdf …", file=sys.stderr)
        ours.append(_in_fresh_process("ours", str(workdir), str(workdir / "ours.pdf")))
        print(f"Run {run + 1}/{repeat}: WeasyPrint alone …", file=sys.stderr)
        alone.append(
            _in_fresh_process(
                "weasyprint", str(html_file), workdir.as_uri() + "/", str(workdir / "alone.pdf"), str(bench.layout.practices_dir)
            )
        )
    best_ours = min(ours, key=lambda run: run.seconds)
    best_alone = min(alone, key=lambda run: run.seconds)
    pages = pdf_page_count(workdir / "ours.pdf")
    print(f"practices: {count}  pages: {pages}  PDF: {(workdir / 'ours.pdf').stat().st_size / 1_000_000:.1f} MB")
    print(f"handbook pdf (ours): {best_ours.seconds:.2f} s  peak memory {max(run.peak_mb for run in ours):.0f} MB")
    print(f"WeasyPrint alone:    {best_alone.seconds:.2f} s  peak memory {max(run.peak_mb for run in alone):.0f} MB")
    print(f"ratio: {best_ours.seconds / best_alone.seconds:.3f} (target ≤ 1.2)")


def pdf_page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def command_pdf_bench(args: argparse.Namespace) -> int:
    return bench_pdf(site_settings(args.root), args.n, args.repeat, args.keep)


def add_command(subparsers: Any) -> None:
    """Register `handbook pdf-bench` on the CLI's subparsers."""
    bench = subparsers.add_parser(
        "pdf-bench",
        help=_("time the PDF of N practices against WeasyPrint alone"),
        description=_(
            "Generate N synthetic practices, time `handbook pdf` of a handbook holding all of them and WeasyPrint "
            "rendering the same assembled HTML on its own (each in a fresh process), and print the ratio and peak memory."
        ),
    )
    add_bench_arguments(bench, 100)
    bench.set_defaults(func=command_pdf_bench)


if __name__ == "__main__":  # one benchmark run: python -m handbook.dev.pdf_bench VARIANT ARGS…
    run = BENCH_VARIANTS[sys.argv[1]](*sys.argv[2:])
    print(json.dumps({"seconds": run.seconds, "peak_mb": run.peak_mb}))
