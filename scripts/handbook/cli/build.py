"""`handbook build`: the site with its languages built side by side (`handbook.web.build`), as `mkdocs build` takes its options."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from handbook.messages import _
from handbook.web.build import BuildOptions, SiteBuildError, build_site


def command_build(args: argparse.Namespace) -> int:
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logger = logging.getLogger("mkdocs")  # the config's own messages; each language build shows its own
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    try:
        site_dir = build_site(BuildOptions(args.config_file, args.site_dir, args.strict, level=level))
    except SiteBuildError as error:
        print(f"ERROR   -  {error}", file=sys.stderr)
        return 1
    finally:
        logger.removeHandler(handler)
    if not args.quiet:
        print("INFO    -  " + _("Site built in {folder}", folder=site_dir), file=sys.stderr)
    return 0


def add_command(sub: Any) -> None:
    """Register `handbook build` on the CLI's subparsers."""
    build = sub.add_parser(
        "build",
        help=_("build the site, its languages side by side"),
        description=_(
            "Build the site as `mkdocs build` does, with one MkDocs build per language running side by side "
            "(one process per core), then the search index of the finished site. The options are those of `mkdocs build`."
        ),
    )
    build.add_argument("-f", "--config-file", metavar=_("FILE"), help=_("the MkDocs config file (default: mkdocs.yml)"))
    build.add_argument("-d", "--site-dir", metavar=_("PATH"), help=_("the folder to build into (default: the config's site_dir)"))
    strict = build.add_mutually_exclusive_group()
    strict.add_argument("-s", "--strict", action="store_true", default=None, help=_("fail on warnings (default: the config's strict)"))
    strict.add_argument("--no-strict", dest="strict", action="store_false", help=_("do not fail on warnings"))
    build.add_argument("-q", "--quiet", action="store_true", help=_("warnings and errors only"))
    build.add_argument("-v", "--verbose", action="store_true", help=_("debug messages too"))
    build.set_defaults(func=command_build)
