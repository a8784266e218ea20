"""The `handbook` command: check content, write the JSON Schemas, benchmark the build."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from handbook.content import Layout, load_content
from handbook.problems import Problem
from handbook.vocabulary import VocabularyError


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards that holds mkdocs.yml and practices/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "practices").is_dir():
            return folder
    return start


def _selected(problems: list[Problem], paths: Sequence[str]) -> list[Problem]:
    if not paths:
        return problems
    wanted = [Path(path).resolve() for path in paths]
    return [
        problem for problem in problems if any(problem.path.resolve() == path or path in problem.path.resolve().parents for path in wanted)
    ]


def command_check(args: argparse.Namespace) -> int:
    root = find_root(Path(args.root or Path.cwd()).resolve())
    try:
        content = load_content(Layout(root))
    except VocabularyError as error:
        print(error, file=sys.stderr)
        return 1
    problems = _selected(content.problems, args.paths)
    for problem in problems:
        print(problem.format(root))
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"All good: {len(content.practices)} practices checked.", file=sys.stderr)
    return 0


def command_schema(args: argparse.Namespace) -> int:
    from handbook.schema import write_schemas
    from handbook.vocabulary import load_vocabularies

    root = find_root(Path.cwd().resolve())
    output = Path(args.output)
    write_schemas(output, load_vocabularies(Layout(root).vocabularies_file))
    print(f"JSON Schemas written to {output}", file=sys.stderr)
    return 0


def command_bench(args: argparse.Namespace) -> int:
    from handbook.bench import run_benchmark

    return run_benchmark(find_root(Path.cwd().resolve()), args.n, args.repeat, args.keep)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handbook", description="Tools for the practice handbook.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="validate practices without building the site",
        description="Validate all content, or the given files and folders. Exit 1 on any problem.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on (default: everything)")
    check.add_argument("--root", help="repository root (default: found from the current folder)")
    check.add_argument("-q", "--quiet", action="store_true", help="print nothing when all is well")
    check.set_defaults(func=command_check)

    schema = sub.add_parser(
        "schema",
        help="write the JSON Schemas of the practice files",
        description="Write practice.schema.json and practice-text.schema.json for editors.",
    )
    schema.add_argument("-o", "--output", default="schemas", help="output folder (default: schemas)")
    schema.set_defaults(func=command_schema)

    bench = sub.add_parser(
        "bench",
        help="time the full build against a plain MkDocs build",
        description="Generate N synthetic practices in both languages, time our full build and a "
        "plain mkdocs build of the same pages, and print the ratio.",
    )
    bench.add_argument("-n", type=int, default=1000, help="number of synthetic practices (default: 1000)")
    bench.add_argument("--repeat", type=int, default=1, help="runs per variant; the fastest counts (default: 1)")
    bench.add_argument("--keep", action="store_true", help="keep the generated benchmark site folder")
    bench.set_defaults(func=command_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
