"""Benchmark: our build against a plain MkDocs build of the same pages, alternated in one run, wall and CPU time.

Both builds run in fresh processes on the same synthetic site of N practices in both languages:
- ours: `handbook build` (the languages side by side, then one Pagefind run): validation, page generation,
  both languages, data export and the search index; once with an empty cache (reported apart), then
  with the checks' results of that run in `.cache/handbook/` (the ratios);
- plain: the pages our generation wrote, rendered by `mkdocs build` with Material + static-i18n and the
  default Material search, without the handbook plugin or its templates. The ratios are ours / plain.
- With `--sequential`, also our plain `mkdocs build` (the languages one after the other).
- With `--check`, instead: `handbook check` at 100 and N practices, with an empty cache, with nothing changed and
  after one edited text (the incremental check: per-file results from `.cache/handbook/`).
The synthetic texts pass the real rules (vocabularies, terminology, contacts), which are copied with them.
CPU time is the user + system time of the build and every process it started (getrusage of the children).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from handbook.cache import CACHE_FOLDER
from handbook.checks.personal_data import CONTACTS_FILE
from handbook.content.vocabulary import load_vocabularies
from handbook.gate import Settings, load_content, site_settings
from handbook.messages import _
from handbook.urls import HANDBOOKS, LANGUAGES, PRACTICES, language_prefix
from handbook.views.handbooks import handbook_pages, handbooks_index_pages
from handbook.views.pages import overview_pages, practice_pages

MUNICIPALITIES = [
    "Aalst",
    "Antwerpen",
    "Brugge",
    "Genk",
    "Gent",
    "Hasselt",
    "Kortrijk",
    "Leuven",
    "Maaseik",
    "Mechelen",
    "Oostende",
    "Roeselare",
    "Sint-Niklaas",
    "Turnhout",
    "Vilvoorde",
    "Lier",
    "Geel",
    "Mol",
    "Tienen",
    "Ronse",
]
SENTENCES = {
    "nl": [
        "De gemeente brengt scholen, jeugdwerk, politie en welzijnsdiensten samen rond één tafel.",
        "Eerstelijnswerkers krijgen vorming over het herkennen van signalen van radicalisering.",
        "Ouders en gezinnen vinden laagdrempelig ondersteuning bij een vast aanspreekpunt.",
        "Het lokaal bestuur treedt op als regisseur en maakt duidelijke samenwerkingsafspraken.",
        "Jongeren werken in groep aan hun identiteit, hun plaats in de buurt en hun toekomst.",
        "Het casusoverleg gebeurt binnen de grenzen van het gedeeld beroepsgeheim.",
        "De buurtinspecteur kent de buurt en bouwt vertrouwen op met het middenveld.",
        "Een kleinere gemeente kan de aanpak samen met buurgemeenten organiseren.",
    ],
    "en": [
        "The municipality brings schools, youth work, police and welfare services around one table.",
        "Frontline workers are trained to recognise signs of radicalisation.",
        "Parents and families find low-threshold support at a single point of contact.",
        "The local government takes the coordinating role and sets clear cooperation agreements.",
        "Young people work in groups on their identity, their place in the neighbourhood and their future.",
        "Case consultation takes place within the limits of shared professional secrecy.",
        "The neighbourhood inspector knows the area and builds trust with civil society.",
        "A smaller municipality can organise the approach together with neighbouring municipalities.",
    ],
}


def synthetic_practices(practices_dir: Path, vocabularies_file: Path, count: int, seed: int = 1) -> None:
    """Write `count` valid practices with Dutch and English text into `practices_dir`."""
    vocabularies = load_vocabularies(vocabularies_file)
    sections = list(vocabularies["sections"])
    rng = random.Random(seed)

    def pick(name: str, most: int) -> list[str]:
        return rng.sample(vocabularies[name].keys(), rng.randint(1, most))

    for index in range(count):
        practice_id = f"praktijk-{index:05d}"
        folder = practices_dir / practice_id
        folder.mkdir(parents=True)
        start = rng.randint(2010, 2024)
        municipalities = rng.sample(MUNICIPALITIES, rng.randint(1, 2))
        facts: dict[str, object] = {
            "id": practice_id,
            "kind": "practice",
            "municipalities": municipalities,
            "organisation": f"Stad {rng.choice(MUNICIPALITIES)}",
            "partners": ["Lokale politie", "OCMW", "CLB"][: rng.randint(1, 3)],
            "themes": pick("themes", 3),
            "pillars": pick("pillars", 3),
            "prevention_levels": pick("prevention_levels", 2),
            "target_groups": pick("target_groups", 3),
            "policy_domains": pick("policy_domains", 3),
            "start_year": start,
            "status": rng.choice(vocabularies["statuses"].keys()),
            "status_as_of": "2026",  # the synthetic source's year: recent enough for any status
            "status_source": 1,
            "evidence_level": rng.choice(vocabularies["evidence_levels"].keys()),
            "review": {"status": "draft"},
            "sources": [{"title": f"Synthetische bron {index}", "publisher": "Benchmark", "published": "2026"}],
            "related": [f"praktijk-{(index + 1) % count:05d}"] if count > 1 else [],
        }
        (folder / "practice.yml").write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for language in LANGUAGES:
            lines = [
                "---",
                f"title: {'Praktijk' if language == 'nl' else 'Practice'} {index} in {municipalities[0]}",
                f"summary: {SENTENCES[language][index % 8]}",
                "---",
                "",
            ]
            for term in sections:
                lines += [f"## {term.label(language)}", ""]
                lines += [" ".join(rng.choices(SENTENCES[language], k=6)) for _line in range(3)]
                lines.append("")
            (folder / f"{language}.md").write_text("\n".join(lines), encoding="utf-8")


def prepare_site(settings: Settings, target: Path, count: int) -> Settings:
    """A copy of the site's configuration and hand-written pages with `count` synthetic practices; its settings."""
    root, layout = settings.root, settings.layout
    assert settings.config_file is not None
    target.mkdir(parents=True)
    for name in (settings.config_file.name, "overrides", layout.docs, layout.handbooks, "CONTRIBUTING.md"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(PRACTICES, HANDBOOKS))
        elif source.is_file():
            shutil.copy2(source, target / name)
    copied = Settings.load(target / settings.config_file.name)
    copied.layout.practices_dir.mkdir(parents=True)
    copied.layout.vocabularies_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(layout.vocabularies_file, copied.layout.vocabularies_file)
    for rules, target in (
        (layout.terminology_file, copied.layout.terminology_file),
        (layout.practices_dir / CONTACTS_FILE, copied.layout.practices_dir / CONTACTS_FILE),
    ):
        if rules.is_file():  # the rules the checks read besides the vocabularies
            shutil.copy2(rules, target)
    synthetic_practices(copied.layout.practices_dir, layout.vocabularies_file, count)
    return copied


def plain_site(full: Settings, target: Path) -> None:
    """The same pages without our generation: the generated Markdown written out as ordinary files and
    rendered by plain Material + static-i18n (with Material's own search), without the handbook plugin."""
    shutil.copytree(full.root, target, ignore=shutil.ignore_patterns("site", "overrides"))
    content = load_content(full)
    docs = target / full.layout.docs
    generated = {
        PRACTICES: [*practice_pages(content.practices), *overview_pages()],
        HANDBOOKS: [*handbook_pages(content.handbooks), *handbooks_index_pages()],
    }
    for folder, files in generated.items():
        for file in files:
            path = docs / folder / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.content if isinstance(file.content, bytes) else file.content.encode("utf-8"))
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"^(template|practice|handbook): .*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"  - handbook:\n(      .*\n)*", "  - search\n", config)
    config = re.sub(r"^  custom_dir: .*\n", "", config, flags=re.MULTILINE)
    config = re.sub(r"^extra_(css|javascript):\n(  - .*\n)*", "", config, flags=re.MULTILINE)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # seconds of user + system time, of the build and of the processes it started


def timed(command: list[str], env: dict[str, str], what: str, failing: bool = False) -> Timing:
    """The wall and CPU time of `command` in a fresh process; a failure raises, unless `failing` (only the time counts)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 and not failing:
        raise RuntimeError(f"{what} failed:\n{result.stdout}\n{result.stderr}")
    return Timing(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def timed_build(site: Path, env: dict[str, str], command: str = "mkdocs") -> Timing:
    """`mkdocs build` of the site, or with `command="handbook"` our `handbook build`."""
    shutil.rmtree(site / "site", ignore_errors=True)
    module = ["handbook.cli", "build"] if command == "handbook" else ["mkdocs", "build"]
    return timed([sys.executable, "-m", *module, "-q", "-f", str(site / "mkdocs.yml")], env, f"{command} build of {site}")


def timed_search_index(site: Path, env: dict[str, str]) -> Timing:
    """Pagefind over a built plain site, as our build runs it (once, each language apart by `<html lang>`)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site / "site"), "--silent"]
    return timed(command, env, f"Pagefind over {site}")


def practice_page_sizes(site_dir: Path, practice_ids: list[str]) -> list[int]:
    """HTML size of every practice page in both languages (not the catalogue or other overview pages)."""
    folders = [site_dir / language_prefix(language) / PRACTICES for language in LANGUAGES]
    return [(folder / practice_id / "index.html").stat().st_size for folder in folders for practice_id in practice_ids]


def run_benchmark(settings: Settings, count: int, repeat: int = 1, keep: bool = False, sequential: bool = False) -> int:
    """Print the times and the ratios; with `sequential`, also our `mkdocs build` (the languages one after the other)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "false"}
    workdir = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    full, plain = workdir / "full", workdir / "plain"
    print(f"Preparing {count} synthetic practices ({2 * count} pages) in {workdir} …", file=sys.stderr)
    full_settings = prepare_site(settings, full, count)
    plain_site(full_settings, plain)
    shutil.rmtree(full / CACHE_FOLDER, ignore_errors=True)  # the pages above were generated with the cache on: empty it
    ours, plains, indexed, sequentials = [], [], [], []
    print("Cold run: handbook build with an empty cache …", file=sys.stderr)
    cold = timed_build(full, env, "handbook")  # fills .cache/handbook/ (the checks' results): the runs below reuse them
    for run in range(repeat):  # alternated, so that both see the same load on the machine
        print(f"Run {run + 1}/{repeat}: handbook build …", file=sys.stderr)
        ours.append(timed_build(full, env, "handbook"))
        print(f"Run {run + 1}/{repeat}: plain mkdocs build …", file=sys.stderr)
        plains.append(timed_build(plain, env))
        index = timed_search_index(plain, env)
        indexed.append(Timing(plains[-1].wall + index.wall, plains[-1].cpu + index.cpu))
        if sequential:
            print(f"Run {run + 1}/{repeat}: our mkdocs build, languages one after the other …", file=sys.stderr)
            sequentials.append(timed_build(full, env))
    practice_ids = sorted(path.name for path in full_settings.layout.practices_dir.iterdir() if path.is_dir())
    sizes = practice_page_sizes(full / "site", practice_ids)
    best, base = _best(ours), _best(plains)
    print(f"practices: {count}  pages: {2 * count}")
    print(
        f"handbook build (ours, cold cache): {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU  (ratio {cold.wall / base.wall:.3f} wall, {cold.cpu / base.cpu:.3f} CPU)"
    )
    print(f"handbook build (ours): {best.wall:.2f} s wall, {best.cpu:.2f} s CPU  ({1000 * best.wall / (2 * count):.1f} ms per page)")
    print(f"plain mkdocs build:    {base.wall:.2f} s wall, {base.cpu:.2f} s CPU  ({1000 * base.wall / (2 * count):.1f} ms per page)")
    print(f"ratio: {best.wall / base.wall:.3f} wall, {best.cpu / base.cpu:.3f} CPU (targets ≤ 1.0 and ≤ 1.5)")
    both = _best(indexed)  # the same search as ours: for comparison only, the ratios above are the measure
    print(
        f"plain build + Pagefind (the search ours builds): {both.wall:.2f} s wall, {both.cpu:.2f} s CPU"
        f"  (ratio {best.wall / both.wall:.3f} wall, {best.cpu / both.cpu:.3f} CPU)"
    )
    if sequentials:
        one = _best(sequentials)
        print(f"our mkdocs build, languages one after the other: {one.wall:.2f} s wall, {one.cpu:.2f} s CPU", end="")
        print(f"  (ratio {one.wall / base.wall:.3f} wall, {one.cpu / base.cpu:.3f} CPU)")
    print(f"practice page HTML: max {max(sizes) / 1024:.1f} KB, mean {sum(sizes) / len(sizes) / 1024:.1f} KB")
    leave_workdir(workdir, keep)
    return 0


def leave_workdir(workdir: Path, keep: bool) -> None:
    """Remove a benchmark's working folder, or say where it was kept (`--keep`)."""
    if keep:
        print(f"kept: {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def timed_check(site: Path, env: dict[str, str]) -> Timing:
    """`handbook check` of the site in a fresh process (problems are no failure here: only the time counts)."""
    command = [sys.executable, "-m", "handbook.cli", "check", "-q", "--root", str(site)]
    return timed(command, env, f"handbook check of {site}", failing=True)


def edit_one_text(site: Settings, run: int) -> None:
    """One practice's Dutch text edited as a contributor would: a sentence more at its end (it stays valid)."""
    path = site.layout.practices_dir / "praktijk-00000" / "nl.md"
    path.write_text(path.read_text(encoding="utf-8") + f"Een zin meer ({run}).\n", encoding="utf-8")


def run_check_benchmark(settings: Settings, counts: list[int], repeat: int = 1, keep: bool = False) -> int:
    """`handbook check` at each count of synthetic practices: with an empty cache (cold), with nothing changed,
    and after one edited text; fresh processes, the best of `repeat` runs of each (alternated)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    workdir = Path(tempfile.mkdtemp(prefix="handbook-check-bench-"))
    rows = []
    for count in counts:
        print(f"Preparing {count} synthetic practices in {workdir} …", file=sys.stderr)
        site = prepare_site(settings, workdir / str(count), count)
        colds, unchanged, edited = [], [], []
        for run in range(repeat):
            shutil.rmtree(site.root / CACHE_FOLDER, ignore_errors=True)
            print(f"{count} practices, run {run + 1}/{repeat}: handbook check, cold, unchanged, after one edit …", file=sys.stderr)
            colds.append(timed_check(site.root, env))
            unchanged.append(timed_check(site.root, env))
            edit_one_text(site, run)
            edited.append(timed_check(site.root, env))
        rows.append((count, _best(colds), _best(unchanged), _best(edited)))
    print("handbook check (fresh process; best of the runs; targets at 1,000: 2 s cold, 0.5 s after one edit)")
    for count, cold, same, edit in rows:
        print(f"practices: {count}")
        print(f"  cold (empty cache):  {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU")
        print(f"  nothing changed:     {same.wall:.2f} s wall, {same.cpu:.2f} s CPU")
        print(f"  after one edit:      {edit.wall:.2f} s wall, {edit.cpu:.2f} s CPU")
    leave_workdir(workdir, keep)
    return 0


def _best(timings: list[Timing]) -> Timing:
    """The fastest run by wall time (with its CPU time): the one least disturbed by the machine's other work."""
    return min(timings, key=lambda timing: timing.wall)


def add_bench_arguments(parser: argparse.ArgumentParser, count: int) -> None:
    """The options every benchmark command takes."""
    parser.add_argument("-n", type=int, default=count, help=_("number of synthetic practices (default: {count})", count=count))
    parser.add_argument("--repeat", type=int, default=1, help=_("runs per variant; the fastest counts (default: 1)"))
    parser.add_argument("--keep", action="store_true", help=_("keep the generated benchmark folder"))
    parser.add_argument("--root", help=_("repository root (default: found from the current folder)"))


def command_bench(args: argparse.Namespace) -> int:
    if args.check:
        return run_check_benchmark(site_settings(args.root), sorted({min(100, args.n), args.n}), args.repeat, args.keep)
    return run_benchmark(site_settings(args.root), args.n, args.repeat, args.keep, args.sequential)


def add_command(subparsers: Any) -> None:
    """Register `handbook bench` on the CLI's subparsers."""
    bench = subparsers.add_parser(
        "bench",
        help=_("time handbook build against a plain MkDocs build"),
        description=_(
            "Generate N synthetic practices in both languages, time `handbook build` and a plain "
            "mkdocs build of the same pages alternately (wall and CPU time), and print the ratios."
        ),
    )
    add_bench_arguments(bench, 1000)
    bench.add_argument("--sequential", action="store_true", help=_("also time our mkdocs build (the languages one after the other)"))
    bench.add_argument(
        "--check", action="store_true", help=_("time handbook check instead (cold, unchanged, after one edit) at 100 and N practices")
    )
    bench.set_defaults(func=command_bench)
