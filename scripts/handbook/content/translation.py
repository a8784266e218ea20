"""Translation status: which language versions are missing, current or outdated.

A translated text records in its front matter what it was made from (`translation_of: {language,
revision}`); the revision is a digest of the source's title, summary and body. When the source
changes, its revision changes and the translation becomes outdated until it is stamped again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from handbook.content.model import Practice
from handbook.urls import LANGUAGES


class TranslationState(StrEnum):
    SOURCE = "source"  # the original text
    CURRENT = "current"  # translated from the source as it is now
    OUTDATED = "outdated"  # the source changed after this translation was made
    MISSING = "missing"  # no text in this language
    UNRECORDED = "unrecorded"  # both texts exist, but neither says it is a translation


@dataclass(frozen=True)
class PracticeTranslationStatus:
    practice_id: str
    states: dict[str, TranslationState]

    @property
    def complete(self) -> bool:
        return all(state in (TranslationState.SOURCE, TranslationState.CURRENT) for state in self.states.values())


def translation_status(practice: Practice, languages: Sequence[str] = LANGUAGES) -> PracticeTranslationStatus:
    states: dict[str, TranslationState] = {}
    for language in languages:
        translation = practice.translations.get(language)
        if translation is None:
            states[language] = TranslationState.MISSING
            continue
        origin = translation.text.translation_of
        if origin is None:
            others_translate = any(
                other.text.translation_of is not None for lang, other in practice.translations.items() if lang != language
            )
            alone = len(practice.translations) == 1
            states[language] = TranslationState.SOURCE if alone or others_translate else TranslationState.UNRECORDED
        else:
            source = practice.translations.get(origin.language)
            current = source is not None and source.revision == origin.revision
            states[language] = TranslationState.CURRENT if current else TranslationState.OUTDATED
    return PracticeTranslationStatus(practice.id, states)


def status_report(practices: Sequence[Practice]) -> list[PracticeTranslationStatus]:
    return sorted((translation_status(practice) for practice in practices), key=lambda status: status.practice_id)


_TRANSLATION_BLOCK = re.compile(r"^translation_of:.*\n(?:[ \t]+.*\n)*", re.MULTILINE)


def stamp_translation(path: Path, source_language: str, revision: str) -> bool:
    """Record in `path`'s front matter that it now translates `source_language` at `revision`.

    Returns True when the file changed. Only the `translation_of` block is touched.
    """
    text = path.read_text(encoding="utf-8")
    end = text.find("\n---", 3)
    if not text.startswith("---") or end < 0:
        raise ValueError(f"{path}: no front matter to stamp")
    front, rest = text[: end + 1], text[end + 1 :]
    block = f"translation_of:\n  language: {source_language}\n  revision: {revision}\n"
    stamped = _TRANSLATION_BLOCK.sub(block, front, count=1) if _TRANSLATION_BLOCK.search(front) else front + block
    if stamped == front:
        return False
    path.write_text(stamped + rest, encoding="utf-8")
    return True
