"""Security and shape of the GitHub workflows, and the pre-commit hook.

- every remote action is pinned by a full commit SHA, with its version in a comment;
- the token is read-only at the top of every workflow; write permissions only on the jobs that need them;
- no `pull_request_target`, and no text of an issue or pull request inside a shell script;
- CI runs the repository's own scripts on every pull request;
- container images are pinned by digest, and zizmor (offline) finds nothing;
- the from-issue failure comment fences contributor text with a fence it cannot close.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import REPO

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
NAMES = [path.name for path in WORKFLOW_FILES]

# Which jobs may write, and what: publishing to Pages, and turning a labelled issue into a pull request.
WRITE_PERMISSIONS = {
    ("deploy.yml", "deploy"): {"pages", "id-token"},
    ("from-issue.yml", "pull-request"): {"contents", "pull-requests", "issues"},
}
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
# Event fields anyone can write: they must never be pasted into a shell script.
UNTRUSTED = re.compile(r"\$\{\{\s*github\.(event\.(issue|pull_request|comment|review|head_commit)|head_ref)")


def load(path: Path) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return workflow


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` mapping (PyYAML reads the bare key `on` as the boolean True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def remote_actions(workflow: dict[str, Any]) -> list[str]:
    uses = [step["uses"] for _, step in steps(workflow) if "uses" in step]
    uses += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]  # reusable workflows
    return [ref for ref in uses if not ref.startswith(("./", "docker://"))]


def test_there_are_workflows() -> None:
    assert {"ci.yml", "deploy.yml", "from-issue.yml", "external-links.yml"} <= set(NAMES)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=NAMES)
def test_remote_actions_are_pinned_by_commit_sha_with_the_version_in_a_comment(path: Path) -> None:
    lines = [match for line in path.read_text(encoding="utf-8").splitlines() if (match := USES_LINE.match(line))]
    remote = [match for match in lines if not match["ref"].startswith(("./", "docker://"))]
    assert sorted(match["ref"] for match in remote) == sorted(remote_actions(load(path)))
    for match in remote:
        assert PINNED.fullmatch(match["ref"]), f"{path.name}: '{match['ref']}' is not pinned by a full commit SHA"
        assert re.fullmatch(r"\s+#\s*v\d+(\.\d+)*\b.*", match["rest"]), f"{path.name}: '{match['ref']}' lacks a '# vX' comment"


def test_each_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for ref in remote_actions(load(path)):
            action, _, sha = ref.partition("@")
            pins.setdefault(action, set()).add(sha)
    assert {action: shas for action, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=NAMES)
def test_the_token_is_read_only_at_the_top(path: Path) -> None:
    assert load(path).get("permissions") == {"contents": "read"}


def test_write_permissions_are_only_on_the_jobs_that_need_them() -> None:
    writers: dict[tuple[str, str], set[str]] = {}
    for path in WORKFLOW_FILES:
        for job_id, job in load(path)["jobs"].items():
            permissions = job.get("permissions", {})
            assert isinstance(permissions, dict), f"{path.name}:{job_id}: give permissions per scope, not '{permissions}'"
            written = {scope for scope, level in permissions.items() if level == "write"}
            if written:
                writers[(path.name, job_id)] = written
    assert writers == WRITE_PERMISSIONS


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=NAMES)
def test_no_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=NAMES)
def test_untrusted_text_never_reaches_a_shell_script(path: Path) -> None:
    for job_id, step in steps(load(path)):
        assert not UNTRUSTED.search(step.get("run", "")), f"{path.name}:{job_id}: pass event text through env:, not inside run:"


def test_ci_runs_the_repository_scripts_on_every_pull_request() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    on = triggers(workflow)
    assert "pull_request" in on
    assert on["push"] == {"branches": ["main"]}
    runs = {job_id: "\n".join(step.get("run", "") for step in job["steps"]) for job_id, job in workflow["jobs"].items()}
    assert set(runs) == {"check", "tests", "build", "links", "properdocs", "pdf"}
    assert "handbook check" in runs["check"]
    assert "scripts/test.sh" in runs["tests"]
    assert "scripts/serve.sh build" in runs["build"]  # mkdocs build --strict, as README.md documents
    assert "handbook.web.linkcheck site" in runs["links"] and "--external" not in runs["links"]
    assert "handbook pdf --all -o pdf/" in runs["pdf"]
    # The engine exit: ProperDocs builds the same site, dated by the same commit as the MkDocs build.
    assert "properdocs build --strict" in runs["properdocs"] and "requirements-properdocs.txt" in runs["properdocs"]
    assert "handbook.web.linkcheck site" in runs["properdocs"]
    assert 'diff -r -I \'<meta name="generator"\' "$RUNNER_TEMP/mkdocs-site" site' in runs["properdocs"]
    dated = 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"'
    assert dated in runs["build"] and dated in runs["properdocs"]
    assert workflow["jobs"]["properdocs"]["needs"] == "build"
    uploads = {job_id: step["with"] for job_id, step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads["build"]["path"].rstrip("/") == "site"
    assert uploads["pdf"]["path"].rstrip("/") == "pdf"
    assert workflow["jobs"]["links"]["needs"] == "build"


def test_deploy_publishes_main_to_pages_at_its_own_address() -> None:
    workflow = load(WORKFLOWS / "deploy.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    named = {step.get("name"): step for _, step in steps(workflow)}
    assert named["Install the handbook's needs"]["run"] == "scripts/setup.sh requirements.txt"
    build = named["Build the site"]
    assert build["run"] == ".venv/bin/handbook build --strict"  # the languages side by side (handbook.web.build)
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert build["env"]["HANDBOOK_EDIT_URL"] == "${{ github.server_url }}/${{ github.repository }}/edit/main/practices"
    used = [step.get("uses", "").partition("@")[0] for _, step in steps(workflow)]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(used)


def test_a_labelled_issue_becomes_a_pull_request() -> None:
    workflow = load(WORKFLOWS / "from-issue.yml")
    assert triggers(workflow) == {"issues": {"types": ["labeled"]}}
    job = workflow["jobs"]["pull-request"]
    assert "praktijk-voorstel" in job["if"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "handbook from-issue" in runs
    assert any(step.get("uses", "").startswith("peter-evans/create-pull-request@") for step in job["steps"])


def test_external_links_are_checked_weekly_and_on_demand() -> None:
    workflow = load(WORKFLOWS / "external-links.yml")
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert len(on["schedule"]) == 1
    assert "--external" in "\n".join(step.get("run", "") for _, step in steps(workflow))


def test_pre_commit_checks_changed_practices() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    changed = next(hook for hook in hooks if hook["id"] == "handbook-check")
    assert changed["entry"].startswith("handbook check")
    assert changed["files"] == "^practices/"
    assert changed.get("pass_filenames", True)
    assert all(hook["entry"].startswith("handbook check") and hook["files"].startswith("^practices/") for hook in hooks)


# --- container images and zizmor (issue 9) ---------------------------------------------------------------

IMAGE_PINNED = re.compile(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}")


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=NAMES)
def test_container_images_are_pinned_by_digest(path: Path) -> None:
    for job_id, job in load(path)["jobs"].items():
        container = job.get("container")
        image = container.get("image") if isinstance(container, dict) else container
        if image is not None:
            assert IMAGE_PINNED.fullmatch(image), f"{path.name}: job '{job_id}' uses the image '{image}' without a sha256 digest"
        for service in (job.get("services") or {}).values():
            assert IMAGE_PINNED.fullmatch(service["image"]), f"{path.name}: job '{job_id}' has an unpinned service image"


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    assert Path(zizmor).exists(), "zizmor is missing: install requirements-dev.txt"
    result = subprocess.run([zizmor, "--offline", str(WORKFLOWS)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_runs_in_ci() -> None:
    assert "zizmor --offline .github/workflows" in (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert any(line.startswith("zizmor") for line in (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines())


def test_the_failure_comment_fences_contributor_text_safely() -> None:
    workflow = (WORKFLOWS / "from-issue.yml").read_text(encoding="utf-8")
    assert "python -m handbook.plaintext" in workflow
    assert "echo '```" not in workflow  # a fixed fence can be closed by a ``` line in an answer
