"""Strict YAML reading: every value keeps its line, and what PyYAML would silently do is refused.

Lists and mappings nested more than `MAX_DEPTH` deep are refused while the events are read, before
composing (PyYAML's composer recurses once per level: 600 nested `[` raised RecursionError).
PyYAML on its own keeps the last of duplicate keys, expands anchors and aliases, and retypes plain
scalars (`no` → False, `1.10` → 1.1, `2015-05-26` → a date). Here duplicates and anchors are errors,
and every plain scalar that YAML retyped is remembered, so that a schema error on it can say "quote it".
"""

from __future__ import annotations

import datetime
import pathlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from handbook.cache import text_digest
from handbook.messages import N_, _

if TYPE_CHECKING:
    from handbook.cache import Store

Path = tuple[str | int, ...]
MAX_DEPTH = 20  # nested lists and mappings; deeper ones are refused before composing (which recurses per level)
# libyaml's C parser where PyYAML has it: same events and nodes, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def package_data(text: str) -> Any:
    """A data file of the package itself (not contributed: no limits, no lines), read with the same loader."""
    return yaml.load(text, Loader=_Loader)  # a safe loader (libyaml's where PyYAML has it)


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
                            "lists and groups of fields are nested more than {limit} levels deep here; write them with fewer levels",
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
        line, message = syntax_message(error, text, offset)
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


def syntax_message(error: yaml.MarkedYAMLError, text: str, offset: int = 0) -> tuple[int, str]:
    """The line (1-based within `text`) and the message of a YAML syntax error, with a hint for the
    common mistakes: an unclosed quote or bracket (named where it opens, whatever follows), a colon in an
    unquoted value, indentation, a tab. `offset`: what to add to a line of `text` for its file line (as `load`)."""
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
        return opened.line + 1, _quote_message(quote, _closed(opening, quote), None)
    unclosed = _unclosed(text, lines, mark.index if mark else len(text), offset)
    if unclosed is not None:
        return unclosed
    if "\t" in source[: len(source) - len(source.lstrip())] or (mark is not None and source[mark.column : mark.column + 1] == "\t"):
        return index + 1, _("YAML does not parse: this line holds a tab; YAML indents with spaces only: replace the tab with spaces")
    if problem.startswith("mapping values are not allowed"):
        match = _COLON_IN_VALUE.match(source)
        if match:
            value = match.group("value")
            for quote in "\"'":  # a value that ends with a lone quote: its opening quote was forgotten
                if value.endswith(quote) and value.count(quote) == 1:
                    value = value[:-1].rstrip()
            value = value.replace("\\", "\\\\").replace('"', '\\"')
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
        start = error.context_mark.line if error.context_mark is not None else index
        opening = "[" if closing == "]" else "{"
        return start + 1, _flow_message(opening, _closed(lines[start], closing) if start < len(lines) else "")
    if problem.startswith(("did not find expected key", "expected <block end>", "could not find expected ':'")) or (
        "block mapping" in context or "block collection" in context or "simple key" in context
    ):
        return index + 1, _(
            "YAML does not parse: the indentation does not match the lines above; fields of the same level start in "
            "the same column, and a value that continues on the next line is indented further or put in quotes"
        )
    return index + 1, _("YAML does not parse: {problem}", problem=problem)


# A line that starts a field or a list item (`key:`, `- key:`, `- `): a quoted value that runs over one is not closed.
_FIELD_START = re.compile(r"^\s*(?:-\s|[^\s:#'\"][^:#]*:(?:\s|$))")
_FLOW_CLOSING = {"[": "]", "{": "}"}


def _unclosed(text: str, lines: list[str], error_index: int, offset: int) -> tuple[int, str] | None:
    """An unclosed quote or bracket before the error at `error_index`, named at the line where it opens.

    A quote left open runs on to the next quote of its kind, often many lines further (the quoted dates of a
    practice.yml), and the error comes where that quote is; a `[` or `{` left open runs on to the end of the
    file. So the tokens before the error are read once more (linear, as the first read): the last quoted value
    that spans lines and swallowed a field, or ended at the error, and the innermost bracket still open on an
    earlier line, whichever opened last, is the mistake."""
    error_line = text.count("\n", 0, error_index)
    quoted: yaml.ScalarToken | None = None
    flows: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= error_index:
                break
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                flows.append(token)
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and flows:
                flows.pop()
            elif isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                quoted = token
    except yaml.YAMLError:
        pass  # the scanner stops at (or just after) the error: the tokens read so far are the ones that count
    candidates: list[tuple[int, tuple[int, str]]] = []
    if quoted is not None and quoted.start_mark.line < quoted.end_mark.line:
        start, end = quoted.start_mark, quoted.end_mark
        swallowed = lines[start.line + 1 : end.line + 1]
        if end.line >= error_line - 1 or any(_FIELD_START.match(line) for line in swallowed):
            quote = text[start.index]
            message = _quote_message(quote, _closed(lines[start.line], quote), end.line + 1 + offset)
            candidates.append((start.index, (start.line + 1, message)))
    if flows and flows[-1].start_mark.line < error_line:
        opener = flows[-1].start_mark
        suggestion = _closed(lines[opener.line], "")
        candidates.append((opener.index, (opener.line + 1, _flow_message(text[opener.index], suggestion))))
    return max(candidates)[1] if candidates else None


def _closed(line: str, quote: str) -> str:
    """`line` ended with `quote` and the brackets still open on it, when that makes a line YAML reads ("" if not).

    A quote left open inside a list (`[a, "b]`) is closed before the list's closing bracket (`[a, "b"]`)."""
    line = line.rstrip()
    candidates = [line + quote]
    body = line.rstrip("]}")
    if quote and body != line:
        candidates.insert(0, body + quote + line[len(body) :])
    comment = line.find(" #")
    if quote in "'\"" and comment > 0:  # `status_as_of: "2015-05-26  # a comment`: the quote ends before the comment
        code = line[:comment].rstrip()
        candidates.insert(0, code + quote + line[len(code) :])
    for candidate in candidates:
        flows: list[str] = []
        try:
            for token in yaml.scan(candidate.strip(), Loader=_Loader):
                if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                    flows.append("]" if isinstance(token, yaml.FlowSequenceStartToken) else "}")
                elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and flows:
                    flows.pop()
        except yaml.YAMLError:
            pass
        candidate = (candidate + "".join(reversed(flows))).strip()
        try:
            yaml.compose(candidate, Loader=_Loader)
        except yaml.YAMLError:
            continue
        return candidate
    return ""


def _quote_message(quote: str, suggestion: str, runs_to: int | None) -> str:
    """A quote that is not closed on the line where it opens; `runs_to`: the line of the next such quote, if any."""
    if runs_to is None:
        if suggestion:
            return _(
                "YAML does not parse: the quote {quote} that opens the value on this line is never closed; "
                "end the value with {quote} on the same line: {suggestion}",
                quote=quote,
                suggestion=suggestion,
            )
        return _(
            "YAML does not parse: the quote {quote} that opens the value on this line is never closed; "
            "end the value with {quote} on the same line",
            quote=quote,
        )
    if suggestion:
        return _(
            "YAML does not parse: the quote {quote} that opens the value on this line is not closed on this line, "
            "so YAML reads everything up to the next {quote} (line {line}) as one value; end the value with {quote} "
            "on this line: {suggestion}",
            quote=quote,
            line=runs_to,
            suggestion=suggestion,
        )
    return _(
        "YAML does not parse: the quote {quote} that opens the value on this line is not closed on this line, "
        "so YAML reads everything up to the next {quote} (line {line}) as one value; end the value with {quote} "
        "on this line",
        quote=quote,
        line=runs_to,
    )


def _flow_message(opening: str, suggestion: str) -> str:
    """A list (`[`) or a group of fields (`{`) that is not closed on the line where it opens."""
    values = {"opening": opening, "closing": _FLOW_CLOSING[opening]}
    if opening == "[":
        if suggestion:
            return _(
                "YAML does not parse: the list that opens with '{opening}' on this line is not closed; end it with "
                "'{closing}' on the same line: {suggestion}",
                suggestion=suggestion,
                **values,
            )
        return _(
            "YAML does not parse: the list that opens with '{opening}' on this line is not closed; end it with "
            "'{closing}' on the same line, and put an item that holds a comma or a colon in quotes",
            **values,
        )
    if suggestion:
        return _(
            "YAML does not parse: the group of fields that opens with '{opening}' on this line is not closed; end it "
            "with '{closing}' on the same line: {suggestion}",
            suggestion=suggestion,
            **values,
        )
    return _(
        "YAML does not parse: the group of fields that opens with '{opening}' on this line is not closed; end it with "
        "'{closing}' on the same line, and put a value that holds a comma or a colon in quotes",
        **values,
    )


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
                raise YamlError(2, _("the front matter must consist of 'field: value' lines"))
            return FrontMatterFile(document, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(
        1,
        _("the front matter that starts here is not closed: add a line '---' after its last field (after 'summary', before the text)"),
    )


# --- what was read, kept in the checks' store (`handbook.cache.Store`) ---------------------------------------
#
# A document is kept as JSON: its data (text, numbers, booleans, null, lists, mappings; a date as {"\u0000date": iso}),
# its lines and retyped scalars as [path, …] pairs, or the error it raised. A document holding anything else (a
# datetime, binary, a key that starts with "\u0000") is read again every time: never stored in a form that could
# decode differently.

_DATE = "\u0000date"


class _NotKept(Exception):
    pass


def _encoded(value: Any) -> Any:
    if isinstance(value, dict):
        if any(key.startswith("\u0000") for key in value):
            raise _NotKept
        return {key: _encoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encoded(item) for item in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if type(value) is datetime.date:
        return {_DATE: value.isoformat()}
    raise _NotKept


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and _DATE in value:
            return datetime.date.fromisoformat(value[_DATE])
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


def _document_data(document: Document) -> dict[str, Any]:
    encoded = _encoded(document.data)
    return {
        "d": encoded,
        "t": encoded != document.data,  # holds a date: decoded into new objects (else the data is read as stored)
        "l": [[list(path), line] for path, line in document.lines.items()],
        "r": [[list(path), retyped.text, retyped.read_as] for path, retyped in document.retyped.items()],
        "f": document.first_line,
    }


def _document(data: dict[str, Any]) -> Document:
    lines = {tuple(path): line for path, line in data["l"]}  # a path of another shape is unhashable: TypeError
    if type(data["f"]) is not int or not all(type(line) is int for line in lines.values()):
        raise TypeError("not the lines of a document")
    return Document(
        data=_decoded(data["d"]) if data["t"] else data["d"],
        lines=lines,
        retyped={tuple(path): Retyped(str(text), str(read_as)) for path, text, read_as in data["r"]},
        first_line=data["f"],
    )


def _kept(text: str, read: Any) -> Any:
    """`read()` (a Document or a FrontMatterFile) as the store keeps it, with the error it raises; None: not kept."""
    try:
        result = read()
    except YamlError as error:
        return {"e": [error.line, error.message]}
    try:
        if isinstance(result, FrontMatterFile):  # the body by where it starts in the text: the text is the key
            return {"m": _document_data(result.front_matter), "o": len(text) - len(result.body), "n": result.body_line}
        return {"m": _document_data(result)}
    except _NotKept:
        return None


def _raised(data: Any) -> None:
    if data is None:
        raise _NotKept
    if not isinstance(data, dict):
        raise TypeError("not a document")
    if "e" in data:
        line, message = data["e"]
        raise YamlError(int(line), str(message))


def cached_load(text: str, store: Store, digest: str | None = None) -> Document:
    """`load(text)`, read from `store` when this text (`digest`: its `text_digest`) was read before with this code.
    Its lines are a fresh object every time; its data is shared with the store, so no caller may change it."""
    try:
        return store.cached(digest or text_digest(text), "y", lambda: _kept(text, lambda: load(text)), _load_result)
    except _NotKept:
        return load(text)


def cached_split_front_matter(text: str, store: Store, digest: str | None = None) -> FrontMatterFile:
    """`split_front_matter(text)`, read from `store` as `cached_load` does."""
    try:
        return store.cached(
            digest or text_digest(text), "fm", lambda: _kept(text, lambda: split_front_matter(text)), lambda data: _split_result(data, text)
        )
    except _NotKept:
        return split_front_matter(text)


def _load_result(data: Any) -> Document:
    _raised(data)
    return _document(data["m"])


def _split_result(data: Any, text: str) -> FrontMatterFile:
    _raised(data)
    return FrontMatterFile(_document(data["m"]), text[int(data["o"]) :], int(data["n"]))
