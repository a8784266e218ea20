"""Where the handbook's repository lives, configured once, and the addresses derived from it.

The address is the plugin option `repository` (`HANDBOOK_REPOSITORY` in mkdocs.yml); on GitHub Actions
without it, the repository being built. From it come the links of the Bijdragen page (the repository
and the issue form "Stel een praktijk voor / Propose a practice") and, unless `edit_url` is set, the
edit links of the practice pages. No `repo_url`: Material would make every reader's browser call the
GitHub API.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ISSUE_FORM = "praktijk-voorstellen.yml"  # .github/ISSUE_TEMPLATE/, written by issue_form.py


@dataclass(frozen=True)
class Repository:
    url: str  # e.g. https://github.com/<owner>/<name>, without a trailing slash
    branch: str = "main"

    @classmethod
    def configured(cls, configured: str | None, environ: Mapping[str, str] = os.environ) -> Repository | None:
        """The configured address, or on GitHub Actions the repository being built; None when unknown."""
        branch = environ.get("GITHUB_REF_NAME") or "main"
        if configured:
            return cls(configured.rstrip("/"), branch)
        server, name = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
        return cls(f"{server}/{name}", branch) if server and name else None

    @property
    def issue_form(self) -> str:
        return f"{self.url}/issues/new?template={ISSUE_FORM}"

    def editor(self, folder: str) -> str:
        """The web editor's base URL of a folder (for edit links)."""
        return f"{self.url}/edit/{self.branch}/{folder}"

    def links(self) -> dict[str, str]:
        """What the templates show (`hb_repository`)."""
        return {"url": self.url, "issue_form": self.issue_form}
