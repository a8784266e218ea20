"""Where the content lives: the one source of the contributed folders' names, for the gate, the build and the PDF.

`Settings` (settings.py) makes it from what MkDocs read in mkdocs.yml: the handbook plugin's options
`practices`, `handbooks` and `vocabularies` and MkDocs' own `docs_dir`, relative to the root (the folder of
`mkdocs.yml`). The defaults below are the one place the folders' names are written: every module that needs
a folder of contributed files (the file check, the Markdown check of the site's pages, the PDF's URL
fetcher, the build) takes it from a `Layout`, so a configured folder is checked exactly as the default one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TERMINOLOGY_FILE = "terminology.yml"  # in the practices folder


@dataclass(frozen=True)
class Layout:
    """Where the content lives, relative to the repository root."""

    root: Path
    practices: str = "practices"
    handbooks: str = "handbooks"
    vocabularies: str = "practices/vocabularies.yml"
    docs: str = "docs"  # MkDocs' docs_dir

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
