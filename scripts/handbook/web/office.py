"""The templates to edit: every template page (`docs/sjablonen/<name>.<language>.md`) also as a Word file (.docx, by
python-docx) and an OpenDocument text (.odt, by odfpy), made at build from the Markdown the page is rendered from.

The page's HTML (rendered as the site renders it) is read into blocks: headings, paragraphs with bold and italic
text, bulleted and numbered lists and tables; links keep their text (a web address follows it in brackets). Each
library writes its own document; the zip is written again with fixed times and the document's dates are those of
the edition (`pdf.render.Edition`), so two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import datetime
import functools
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

from handbook.cache import OFFICE_FOLDER, cached_file, text_digest
from handbook.checks.docs_check import TEMPLATE_PAGES, PageSource
from handbook.checks.safety import markdown_key
from handbook.markdown_render import MarkdownSettings, render_markdown
from handbook.urls import LANGUAGES
from handbook.views.labels import label

FORMATS = ("docx", "odt")  # the order of the links on the page
INDEX = "index"  # the templates' own overview page: not a template
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: every member, every build


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullet", "number", "table"
    level: int = 0  # a heading's level (1-3)
    runs: list[Run] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # a table's cells, the header row first

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class _Blocks(HTMLParser):
    """The blocks of a rendered page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.lists: list[str] = []
        self.bold = self.italic = 0
        self.href: str | None = None
        self.skip = 0  # inside a heading's permalink (toc's ¶)
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4"):
            self.current = Block("heading", level=int(tag[1]))
        elif tag == "p" and self.table is None:
            if self.current is None or self.current.kind in ("heading", "paragraph"):
                self.current = Block("paragraph")
        elif tag in ("ul", "ol"):
            self._close()
            self.lists.append("bullet" if tag == "ul" else "number")
        elif tag == "li":
            self._close()
            self.current = Block(self.lists[-1] if self.lists else "bullet")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split():
            self.skip += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
        elif tag == "table":
            self._close()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "p", "li"):
            self._close()
        elif tag in ("ul", "ol") and self.lists:
            self._close()
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag == "a" and self.skip:
            self.skip -= 1
        elif tag == "a":
            if self.href and self.href.startswith(("http://", "https://")):
                self._text(f" ({self.href})")
            self.href = None
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(Block("table", rows=[row for row in self.table if row]))
            self.table = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.current is None:
            if not data.strip():
                return
            self.current = Block("paragraph")
        text = " ".join(data.split())
        if data[:1].isspace() and text:
            text = " " + text
        if data[-1:].isspace() and text and not text.endswith(" "):
            text += " "
        if text:
            self.current.runs.append(Run(text, self.bold > 0, self.italic > 0))

    def _close(self) -> None:
        if self.current is not None and self.current.text.strip():
            runs = self.current.runs
            runs[0].text, runs[-1].text = runs[0].text.lstrip(), runs[-1].text.rstrip()
            self.blocks.append(self.current)
        self.current = None


def blocks_of(html: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._close()
    return parser.blocks


# --- the two writers ------------------------------------------------------------------------------------


def docx_bytes(blocks: list[Block], title: str, language: str, moment: datetime.datetime) -> bytes:
    import docx  # python-docx: only a build that writes the templates needs it

    document = docx.Document()
    properties = document.core_properties
    properties.title, properties.language, properties.author, properties.last_modified_by = title, language, "", ""
    properties.created = properties.modified = moment.replace(tzinfo=None)
    properties.revision = 1
    for block in blocks:
        if block.kind == "heading":
            paragraph = document.add_heading(level=min(block.level, 3) - 1 if block.level > 1 else 0)
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=max(len(row) for row in block.rows))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, block.rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=False):
                    cell.text = text
            for cell in table.rows[0].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            continue
        else:
            style = {"bullet": "List Bullet", "number": "List Number"}.get(block.kind)
            paragraph = document.add_paragraph(style=style)
        for piece in block.runs:
            run = paragraph.add_run(piece.text)
            run.bold, run.italic = piece.bold or None, piece.italic or None
    output = io.BytesIO()
    document.save(output)
    return with_fixed_times(output.getvalue())


def odt_bytes(blocks: list[Block], title: str, language: str, moment: datetime.datetime) -> bytes:
    from odf import dc, meta, teletype
    from odf.element import Element
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    # odfpy keeps the namespaces it has met in one dict of its class Element ("a static variable", odf/element.py),
    # shared by every document of the process, and declares them all: start each document from none, so that its
    # declarations follow from its own content and not from the documents made before it.
    Element.namespaces.clear()
    document = OpenDocumentText()
    stamp = moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(dc.Language(text=language))
    document.meta.addElement(meta.CreationDate(text=stamp))
    document.meta.addElement(dc.Date(text=stamp))
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    italic = Style(name="Italic", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    both = Style(name="BoldItalic", family="text")
    both.addElement(TextProperties(fontweight="bold", fontstyle="italic"))
    headings = {}
    for level in (1, 2, 3):
        style = Style(name=f"Heading {level}", family="paragraph", defaultoutlinelevel=str(level))
        style.addElement(TextProperties(fontsize=("20pt", "15pt", "12.5pt")[level - 1], fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        document.styles.addElement(style)
        headings[level] = style
    column = Style(name="Column", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="8cm"))
    for style in (bold, italic, both, column):
        document.automaticstyles.addElement(style)

    def fill(paragraph: P, block: Block) -> P:
        for piece in block.runs:
            chosen = both if piece.bold and piece.italic else bold if piece.bold else italic if piece.italic else None
            span = Span(stylename=chosen) if chosen is not None else Span()
            teletype.addTextToElement(span, piece.text)
            paragraph.addElement(span)
        return paragraph

    open_list: tuple[str, List] | None = None
    for block in blocks:
        if block.kind in ("bullet", "number"):
            if open_list is None or open_list[0] != block.kind:
                open_list = (block.kind, List(stylename="Numbering 123" if block.kind == "number" else "List Bullet"))
                document.text.addElement(open_list[1])
            item = ListItem()
            item.addElement(fill(P(), block))
            open_list[1].addElement(item)
            continue
        open_list = None
        if block.kind == "heading":
            document.text.addElement(fill(H(outlinelevel=min(block.level, 3), stylename=headings[min(block.level, 3)]), block))
        elif block.kind == "table":
            table = Table(name=f"Table{len(document.text.childNodes)}")
            for _ in range(max(len(row) for row in block.rows)):
                table.addElement(TableColumn(stylename=column))
            for index, cells in enumerate(block.rows):
                row = TableRow()
                for text in cells:
                    cell = TableCell(valuetype="string")
                    paragraph = P()
                    if index == 0:
                        span = Span(stylename=bold)
                        teletype.addTextToElement(span, text)
                        paragraph.addElement(span)
                    else:
                        teletype.addTextToElement(paragraph, text)
                    cell.addElement(paragraph)
                    row.addElement(cell)
                table.addElement(row)
            document.text.addElement(table)
        else:
            document.text.addElement(fill(P(), block))
    output = io.BytesIO()
    document.write(output)
    return with_fixed_times(output.getvalue())


def with_fixed_times(data: bytes) -> bytes:
    """The zip written again, its members in their order with fixed times: a document's bytes depend on its content
    only. A `mimetype` member (OpenDocument) stays first and uncompressed, as the format requires."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return output.getvalue()


WRITERS = {"docx": docx_bytes, "odt": odt_bytes}
LIBRARY_VERSIONS = tuple(f"{name}={metadata.version(name)}" for name in ("python-docx", "odfpy"))  # part of a cached document's key


# --- the site's template pages ------------------------------------------------------------------------------


def template_pages(docs_dir: Path) -> Iterator[tuple[str, str, Path]]:
    """(name, language, path) of every template page, by name."""
    folder = docs_dir / TEMPLATE_PAGES
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        name, _, language = path.stem.rpartition(".")
        if name and name != INDEX and language in LANGUAGES:
            yield name, language, path


def template_documents(
    docs_dir: Path, settings: MarkdownSettings, moment: datetime.datetime, root: Path | None = None
) -> dict[tuple[str, str], bytes]:
    """(language, path in that language's folder of the site) -> the document, for every template page and format;
    with `root`, kept in its cache by the page's text, the date, the Markdown settings and the libraries' versions
    (python-docx reads its default template for every document: about 0.2 s each)."""
    documents = {}
    for name, language, path in template_pages(docs_dir):
        text = path.read_text(encoding="utf-8")
        for extension in FORMATS:
            make = functools.partial(_document, PageSource.parse(path, text), name, language, extension, settings, moment)
            digest = text_digest("\0".join([text, extension, moment.isoformat(), markdown_key(settings), *LIBRARY_VERSIONS]))
            data = make() if root is None else cached_file(root, OFFICE_FOLDER, f"{name}.{language}", f".{extension}", digest, make)
            documents[(language, f"{TEMPLATE_PAGES}/{name}.{extension}")] = data
    return documents


def _document(page: PageSource, name: str, language: str, extension: str, settings: MarkdownSettings, moment: datetime.datetime) -> bytes:
    blocks = blocks_of(render_markdown(page.body, settings))
    title = str(page.meta.get("title") or next((block.text for block in blocks if block.kind == "heading"), name))
    return WRITERS[extension](blocks, title, language, moment)


def downloads(src_uri: str | None, page_url: str | None, language: str) -> list[dict[str, str]]:
    """The links of a template page to its documents (next to the page's folder), [] for any other page."""
    parts = (src_uri or "").split("/")
    if len(parts) != 2 or parts[0] != TEMPLATE_PAGES or page_url is None:
        return []
    name, _, rest = parts[1].partition(".")
    if name == INDEX or rest != f"{language}.md":
        return []
    up = "../" if page_url.endswith("/") else ""  # sjablonen/<name>/ with directory URLs, else sjablonen/<name>.html
    return [{"url": f"{up}{name}.{extension}", "label": label(f"download_{extension}", language)} for extension in FORMATS]
