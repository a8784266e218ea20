"""`handbook schema`: the JSON Schemas of the practice files, for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from handbook.gate import site_settings
from handbook.messages import _


def command_schema(args: argparse.Namespace) -> int:
    from handbook.content.schema import write_schemas
    from handbook.content.vocabulary import load_vocabularies

    settings = site_settings()
    output = Path(args.output)
    write_schemas(output, load_vocabularies(settings.layout.vocabularies_file))
    print(_("JSON Schemas written to {folder}", folder=output), file=sys.stderr)
    return 0


def add_command(sub: Any) -> None:
    """Register `handbook schema` on the CLI's subparsers."""
    schema = sub.add_parser(
        "schema",
        help=_("write the JSON Schemas of the practice files"),
        description=_("Write practice.schema.json and practice-text.schema.json for editors."),
    )
    schema.add_argument("-o", "--output", default="schemas", help=_("output folder (default: schemas)"))
    schema.set_defaults(func=command_schema)
