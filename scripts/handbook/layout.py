"""Where the content lives: the one source of the contributed folders' names, for the gate, the build and the PDF.

`Layout.for_root` reads them as the build does: the handbook plugin's options `practices`, `handbooks` and
`vocabularies` and MkDocs' own `docs_dir`, relative to `mkdocs.yml`. Every module that needs a folder of
contributed files (the file check, the Markdown check of the site's pages, the PDF's URL fetcher) takes it
from a `Layout`, never by writing its name, so a configured folder is checked exactly as the default one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.markdown_render import read_config

CONFIG_FILE = "mkdocs.yml"
TERMINOLOGY_FILE = "terminology.yml"  # in the practices folder


@dataclass(frozen=True)
class Layout:
    """Where the content lives, relative to the repository root."""

    root: Path
    practices: str = "practices"
    handbooks: str = "handbooks"
    vocabularies: str = "practices/vocabularies.yml"
    docs: str = "docs"  # MkDocs' docs_dir

    @classmethod
    def for_root(cls, root: Path) -> Layout:
        """The layout `root/mkdocs.yml` gives the handbook plugin (options `practices`, `handbooks`, `vocabularies`)
        and MkDocs (`docs_dir`)."""
        config_file = root / CONFIG_FILE
        config = read_config(config_file) if config_file.is_file() else {}
        options: dict[str, Any] = {}
        plugins = config.get("plugins")
        for entry in plugins if isinstance(plugins, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("handbook"), dict):
                options = entry["handbook"]
        paths = {name: options[name] for name in ("practices", "handbooks", "vocabularies") if isinstance(options.get(name), str)}
        if isinstance(config.get("docs_dir"), str):
            paths["docs"] = config["docs_dir"]
        return cls(root, **paths)

    @property
    def practices_dir(self) -> Path:
        return self.root / self.practices

    @property
    def handbooks_dir(self) -> Path:
        return self.root / self.handbooks

    @property
    def vocabularies_file(self) -> Path:
        return self.root / self.vocabularies

    @property
    def terminology_file(self) -> Path:
        return self.practices_dir / TERMINOLOGY_FILE

    @property
    def docs_dir(self) -> Path:
        return self.root / self.docs

    @property
    def contributed(self) -> tuple[str, ...]:
        """Every folder (and file) a contributor can change that the build reads, relative to the root:
        the file check walks exactly these."""
        inside = (self.practices, self.handbooks, self.docs)
        vocabularies = Path(self.vocabularies)
        covered = any(folder == vocabularies or Path(folder) in vocabularies.parents for folder in map(Path, inside))
        return tuple(dict.fromkeys([*inside, *([] if covered else [self.vocabularies])]))
