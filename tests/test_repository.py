"""The repository's address, configured once: the Bijdragen page's links and the practice pages' edit links come from it."""

from __future__ import annotations

from handbook.repository import ISSUE_FORM, Repository

ACTIONS = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "vvsg/handboek", "GITHUB_REF_NAME": "release"}


def test_the_configured_address_wins_over_the_repository_being_built() -> None:
    repository = Repository.configured("https://git.example.org/stad/handboek/", ACTIONS)
    assert repository == Repository("https://git.example.org/stad/handboek", "release")


def test_on_github_actions_without_configuration_the_repository_being_built() -> None:
    repository = Repository.configured(None, ACTIONS)
    assert repository is not None
    assert repository.editor("practices") == "https://github.com/vvsg/handboek/edit/release/practices"
    assert repository.links() == {
        "url": "https://github.com/vvsg/handboek",
        "issue_form": f"https://github.com/vvsg/handboek/issues/new?template={ISSUE_FORM}",
    }


def test_unknown_elsewhere_and_the_branch_defaults_to_main() -> None:
    assert Repository.configured(None, {}) is None
    assert Repository.configured(None, {"GITHUB_SERVER_URL": "https://github.com"}) is None
    assert Repository.configured("https://github.com/vvsg/handboek", {}) == Repository("https://github.com/vvsg/handboek", "main")
