"""Problems found in content: where (file and line) and what, in words a contributor can act on."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path

from handbook.messages import ngettext
from handbook.plaintext import visible, visible_name


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str

    def format(self, root: Path | None = None) -> str:
        """`path:line: message`, with the path relative to `root` where possible."""
        path = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                path = located(self.path).relative_to(_resolved(root))
        # Contributed text reaches terminals and bots; a file name may hold a newline that would forge a line.
        return f"{visible_name(path.as_posix())}:{self.line}: {visible(self.message)}"


def located(path: Path) -> Path:
    """The absolute path of the entry `path` names: its folder resolved, a symbolic link itself named, not followed."""
    return _resolved(path.parent) / path.name


@functools.lru_cache(maxsize=1024)
def _resolved(path: Path) -> Path:
    return path.resolve()


class ContentError(Exception):
    """Raised when content has problems; carries all of them, not just the first."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = sorted(problems)
        self.root = root
        lines = "\n".join(problem.format(root) for problem in self.problems)
        heading = ngettext("{count} problem in the handbook content:", "{count} problems in the handbook content:", len(self.problems))
        super().__init__(f"{heading}\n{lines}")
