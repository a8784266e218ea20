"""Table header scope in the PDF structure tree, which WeasyPrint leaves out.

WeasyPrint tags <th> as /TH and links every /TD to its headers with /Headers, but writes no /Scope on
the header cells, so PDF/UA checkers (pdfua's UA-15-003) cannot tell column from row headers. Our tables
keep their column headers in <thead> and their row (and row-group) headers in <tbody>, so the scope
follows from where a /TH sits: under /THead a column header, elsewhere a row header.
"""

from __future__ import annotations

from typing import Any


def add_header_scopes(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: give every /TH an /A dictionary with /Scope /Column or /Row."""
    objects: list[Any] = [obj for obj in pdf.objects if isinstance(obj, dict)]  # pydyf.Dictionary
    elements = {obj.reference: obj for obj in objects if obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH":
            continue
        row = elements.get(element.get("P"))
        group = elements.get(row.get("P")) if row is not None else None
        if element.get("A") is not None:
            element["A"]["Scope"] = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
