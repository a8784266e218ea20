"""Strict YAML reading: every value keeps its line, and what PyYAML would silently do is refused.

Lists and mappings nested more than `MAX_DEPTH` deep are refused while the events are read, before
composing (PyYAML's composer recurses once per level: 600 nested `[` raised RecursionError).
PyYAML on its own keeps the last of duplicate keys, expands anchors and aliases, and retypes plain
scalars (`no` → False, `1.10` → 1.1, `2015-05-26` → a date). Here duplicates and anchors are errors,
and every plain scalar that YAML retyped is remembered, so that a schema error on it can say "quote it".
"""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from handbook.messages import N_, _

Path = tuple[str | int, ...]
MAX_DEPTH = 20  # nested lists and mappings; deeper ones are refused before composing (which recurses per level)
# libyaml's C parser where PyYAML has it: same events and nodes, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR_TAG = "tag:yaml.org,2002:str"
_TYPE_NAMES = {  # translated where they are shown
    "tag:yaml.org,2002:bool": N_("a boolean"),
    "tag:yaml.org,2002:int": N_("a number"),
    "tag:yaml.org,2002:float": N_("a number"),
    "tag:yaml.org,2002:timestamp": N_("a date"),
    "tag:yaml.org,2002:null": N_("empty (null)"),
}
# `key: value: more` with the value unquoted: YAML reads the second ': ' as the start of a field.
_COLON_IN_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>[^\s'\"\[{|>&*!].*?:(?:\s.*)?)\s*$")


class YamlError(Exception):
    """A YAML document that cannot be read strictly; `line` is 1-based within the whole file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Retyped:
    """A plain scalar that YAML read as something other than text."""

    text: str
    read_as: str  # e.g. "a boolean"


@dataclass
class Document:
    """Plain Python data plus the line of every value and key (paths as in pydantic's `loc`)."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    retyped: dict[Path, Retyped] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        return line_of(self.lines, path, self.first_line)


def line_of(lines: dict[Path, int], path: Path, default: int = 1) -> int:
    """The line of the value at `path` in a document's `lines`, or of its nearest ancestor that has one.

    The one lookup of a line by path: a `Document`, a practice's facts and texts and a handbook all use it."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), default)


def load(text: str, first_line: int = 1) -> Document:
    """Read one YAML document strictly. `first_line` is the file line of the text's first line."""
    offset = first_line - 1
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    raise YamlError(
                        line + offset,
                        _(
                            "lists and mappings are nested more than {limit} levels deep here; write them with fewer levels",
                            limit=MAX_DEPTH,
                        ),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                line = event.start_mark.line + 1 if event.start_mark else 1
                template = (
                    N_("YAML alias '{anchor}' is not allowed; write the value out in full")
                    if isinstance(event, yaml.AliasEvent)
                    else N_("YAML anchor '{anchor}' is not allowed; write the value out in full")
                )
                raise YamlError(line + offset, _(template, anchor=anchor))
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        line, message = syntax_message(error, text)
        raise YamlError(line + offset, message) from None
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlError(first_line, _("YAML does not parse: {problem}", problem=str(error))) from None
    document = Document(data=None, first_line=first_line)
    if node is None:
        document.lines[()] = first_line
        return document
    document.data = _convert(node, (), document, SafeConstructor(), offset)
    return document


def load_mapping_file(path: pathlib.Path, not_a_mapping: str) -> Document:
    """A whole YAML file that must hold a mapping, read strictly; a `YamlError` otherwise (line 1 for `not_a_mapping`)."""
    document = load(path.read_text(encoding="utf-8"))
    if not isinstance(document.data, dict):
        raise YamlError(1, not_a_mapping)
    return document


def _convert(node: Node, path: Path, doc: Document, constructor: SafeConstructor, offset: int) -> Any:
    doc.lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, (*path, "<key>"), doc, constructor, offset)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str):
                raise YamlError(key_line, _("key {key} must be text; put it in quotes", key=repr(key)))
            if key in result:
                first = doc.lines[(*path, key)]
                raise YamlError(key_line, _("duplicate key '{key}' (first written on line {first})", key=key, first=first))
            doc.lines[(*path, key)] = key_line
            result[key] = _convert(value_node, (*path, key), doc, constructor, offset)
            doc.lines[(*path, key)] = key_line
        doc.lines.pop((*path, "<key>"), None)
        return result
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, index), doc, constructor, offset) for index, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if node.tag != _STR_TAG and not node.style and node.tag in _TYPE_NAMES:  # plain: None or ""
        doc.retyped[path] = Retyped(node.value, _TYPE_NAMES[node.tag])
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError) as error:
        raise YamlError(
            node.start_mark.line + 1 + offset, _("cannot read value {value}: {error}", value=repr(node.value), error=str(error))
        ) from None


def syntax_message(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line (1-based within `text`) and the message of a YAML syntax error, with a hint for the
    common mistakes: a colon in an unquoted value, indentation, a tab, an unclosed quote."""
    mark = error.problem_mark or error.context_mark
    if "simple key" in (error.context or "") and error.context_mark is not None:  # the line without its colon
        mark = error.context_mark
    index = mark.line if mark else 0
    lines = text.splitlines()
    source = lines[index] if index < len(lines) else ""
    problem = error.problem or error.context or ""
    context = error.context or ""
    if "quoted scalar" in context and error.context_mark is not None:  # the quote opened there is never closed
        opened = error.context_mark
        opening = lines[opened.line] if opened.line < len(lines) else ""
        quote = opening[opened.column] if opened.column < len(opening) and opening[opened.column] in "'\"" else '"'
        return opened.line + 1, _(
            "YAML does not parse: the quote {quote} that opens the value on this line is never closed; "
            "end the value with {quote} on the same line",
            quote=quote,
        )
    if "\t" in source[: len(source) - len(source.lstrip())] or (mark is not None and source[mark.column : mark.column + 1] == "\t"):
        return index + 1, _("YAML does not parse: this line holds a tab; YAML indents with spaces only: replace the tab with spaces")
    if problem.startswith("mapping values are not allowed"):
        match = _COLON_IN_VALUE.match(source)
        if match:
            value = match.group("value").replace("\\", "\\\\").replace('"', '\\"')
            suggestion = f'{match.group("indent")}{match.group("key")}: "{value}"'
            return index + 1, _(
                "YAML does not parse: the value holds a colon followed by a space, which YAML reads as a new field; "
                "put the whole value in quotes: {suggestion}",
                suggestion=suggestion.strip(),
            )
        return index + 1, _(
            "YAML does not parse: a field cannot start here; check the indentation (a field is indented further "
            "than the field it belongs to, with spaces, and fields of the same level start in the same column), "
            "or, if the value holds a colon, put the value in quotes"
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "']'" in problem else "}"
        start = error.context_mark.line + 1 if error.context_mark is not None else index + 1
        return start, _(
            "YAML does not parse: the list or mapping that opens with '{opening}' on this line is not closed; end it with "
            "'{closing}' on the same line, and put an item that holds a comma or a colon in quotes",
            opening="[" if closing == "]" else "{",
            closing=closing,
        )
    if problem.startswith(("did not find expected key", "expected <block end>", "could not find expected ':'")) or (
        "block mapping" in context or "block collection" in context or "simple key" in context
    ):
        return index + 1, _(
            "YAML does not parse: the indentation does not match the lines above; fields of the same level start in "
            "the same column, and a value that continues on the next line is indented further or put in quotes"
        )
    return index + 1, _("YAML does not parse: {problem}", problem=problem)


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its front matter and body."""

    front_matter: Document
    body: str
    body_line: int  # file line where the body starts


def split_front_matter(text: str) -> FrontMatterFile:
    """Split `---`-fenced YAML front matter from a Markdown body, strictly."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise YamlError(1, _("the file must start with YAML front matter between two '---' lines"))
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == "---":
            yaml_text = "".join(lines[1:index])
            document = load(yaml_text, first_line=2)
            document.lines.setdefault((), 1)
            if document.data is None:
                document.data = {}
            if not isinstance(document.data, dict):
                raise YamlError(2, _("the front matter must be a mapping of 'field: value' lines"))
            return FrontMatterFile(document, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(
        1,
        _("the front matter that starts here is not closed: add a line '---' after its last field (after 'summary', before the text)"),
    )
