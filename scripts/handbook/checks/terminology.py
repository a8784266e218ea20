"""The handbook's terminology, checked where it is mechanical: words to avoid, per language, from one data file.

`practices/terminology.yml` lists, per language, the forms `handbook check` refuses in the Dutch or English
texts (practice texts and the framework pages under `docs/`), each with the message in both languages (shown in the contributor's language, see `messages.py`). Code
(inline or fenced), block quotes and text in double quotation marks are left alone: a quoted source keeps
its own words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from handbook.cache import Store, kept_problems, text_digest
from handbook.content import yaml_reader
from handbook.content.load import LeftOutTexts
from handbook.content.model import Practice
from handbook.markdown_render import fenced_lines
from handbook.messages import current_language
from handbook.problems import Problem
from handbook.urls import LANGUAGES

_BACKREFERENCE = re.compile(r"\\[1-9]|\\g<|\(\?P=")
_QUOTED = re.compile(r"`[^`]*`|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|„[^”“\n]*[”“]|\]\([^)]*\)")  # code, quotes, link targets


@dataclass(frozen=True)
class Rule:
    language: str
    pattern: re.Pattern[str]
    messages: dict[str, str]
    line: int  # where the rule is declared

    def message(self, found: str) -> str:
        """The rule's message in the contributor's language (the data file has both)."""
        return f"'{found}': {self.messages[current_language()]}"


class TerminologyError(Exception):
    pass


def load_rules(path: Path) -> list[Rule]:
    """The rules of the data file; a broken rule is an error of the file, with its line."""
    try:
        document = yaml_reader.load_mapping_file(path, "the terminology file maps a language (nl, en) to a list of rules")
    except yaml_reader.YamlError as error:
        raise TerminologyError(f"{path}:{error.line}: {error.message}") from None
    rules = []
    for language, entries in document.data.items():
        if language not in LANGUAGES or not isinstance(entries, list):
            raise TerminologyError(f"{path}:{document.line_of((language,))}: '{language}' must be nl or en, with a list of rules")
        for index, entry in enumerate(entries):
            line = document.line_of((language, index))
            message = entry.get("message") if isinstance(entry, dict) else None
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("avoid"), str)
                or not isinstance(message, dict)
                or any(not isinstance(message.get(lang), str) for lang in LANGUAGES)
            ):
                raise TerminologyError(f"{path}:{line}: a rule needs 'avoid' (a regular expression) and 'message' with nl and en")
            try:
                pattern = re.compile(rf"(?<![\w-])(?:{entry['avoid']})(?![\w-])", re.IGNORECASE)
            except re.error as error:
                raise TerminologyError(f"{path}:{line}: 'avoid' is not a valid regular expression ({error})") from None
            rules.append(Rule(language, pattern, {lang: message[lang] for lang in LANGUAGES}, line))
    return rules


def any_rule(rules: Sequence[Rule]) -> re.Pattern[str] | None:
    """One pattern that matches where any of `rules` does (their union), so a line none of them matches is passed over
    with one search; None when the rules cannot be joined (a back-reference, other flags, a name used twice)."""
    return _union(tuple((rule.pattern.pattern, rule.pattern.flags, rule.pattern.groups) for rule in rules))


def text_problems(text: str, language: str, rules: Iterable[Rule], path: Path, first_line: int = 1) -> list[Problem]:
    """Every avoided form in `text` (a Markdown text in `language`), with its file line."""
    active = [rule for rule in rules if rule.language == language]
    union = any_rule(active)
    problems = []
    for offset, line, fenced in fenced_lines(text):
        if fenced or line.lstrip().startswith(">"):
            continue
        plain = _QUOTED.sub(lambda match: " " * len(match.group(0)), line)
        if union is not None and union.search(plain) is None:
            continue  # no rule matches this line
        for rule in active:
            for match in rule.pattern.finditer(plain):
                problems.append(Problem(path, first_line + offset, rule.message(match.group(0))))
    return problems


@functools.lru_cache(maxsize=16)
def _union(patterns: tuple[tuple[str, int, int], ...]) -> re.Pattern[str] | None:
    flags = {flag for _pattern, flag, _groups in patterns}
    if not patterns or len(flags) != 1 or any(_BACKREFERENCE.search(pattern) for pattern, _flag, _groups in patterns):
        return None  # a back-reference counts groups, which the union renumbers
    try:
        return re.compile("|".join(f"(?:{pattern})" for pattern, _flag, _groups in patterns), flags.pop())
    except re.error:
        return None


def cached_text_problems(
    text: str, language: str, rules: Iterable[Rule], path: Path, first_line: int = 1, store: Store | None = None
) -> list[Problem]:
    """`text_problems`, kept in `store` by the text's digest (the rules are part of the store's version)."""
    if store is None:
        return text_problems(text, language, rules, path, first_line)
    compute = functools.partial(text_problems, text, language, rules, path, first_line)
    return kept_problems(store, text_digest(text), f"tm:{language}:{first_line}", path, compute)


def practice_problems(
    practices: Iterable[Practice], rules: list[Rule], left_out: Iterable[LeftOutTexts] = (), store: Store | None = None
) -> list[Problem]:
    """The title, summary and body of every language file of every practice (and of those left out for their problems)."""
    problems = []
    texts: list[Practice | LeftOutTexts] = [*practices, *left_out]
    for practice in texts:
        for translation in practice.translations.values():
            front = f"{translation.text.title}\n{translation.text.summary}"
            problems += [
                Problem(problem.path, 2, problem.message)  # the front matter starts on line 2
                for problem in cached_text_problems(front, translation.language, rules, translation.path, store=store)
            ]
            problems += cached_text_problems(translation.body, translation.language, rules, translation.path, translation.body_line, store)
    return problems


def page_problems(docs_dir: Path, rules: list[Rule]) -> list[Problem]:
    """The pages under `docs_dir` named `<page>.<language>.md`."""
    problems = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        language = path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else ""
        if language in LANGUAGES and not path.is_symlink():
            problems += text_problems(path.read_text(encoding="utf-8"), language, rules, path)
    return problems
