"""A date as precise as its source gives it: a year, a month or a day.

`status_as_of: 2019`, `"2019-06"` and `2019-06-17` are three different claims: the last says the source is
of that day, the first only of that year. `PartialDate` keeps the precision that was written, compares two
dates at the precision they share, and is written back as it was given ("2019", "2019-06", "2019-06-17").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from handbook.messages import N_

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_PARTS = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FIRST_YEAR, LAST_YEAR = 1950, 2100  # the range of every year field of a practice (model.Year)


@dataclass(frozen=True)
class PartialDate:
    """A year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """ "2019", "2019-06" or "2019-06-17"; ValueError for anything else, or a month or day that does not exist."""
        match = _PARTS.fullmatch(text)
        if match is None:
            raise ValueError(text)
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        datetime.date(year, month or 1, day or 1)  # ValueError for month 13 or 30 February
        return cls(year, month, day)

    @classmethod
    def of(cls, date: datetime.date) -> PartialDate:
        return cls(date.year, date.month, date.day)

    def parts(self) -> tuple[int, ...]:
        return tuple(part for part in (self.year, self.month, self.day) if part is not None)

    def is_later_than(self, other: PartialDate) -> bool:
        """Later at the precision both give: "2019-06-17" is not later than "2019-06", nor than "2019"."""
        shared = min(len(self.parts()), len(other.parts()))
        return self.parts()[:shared] > other.parts()[:shared]

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}", *(f"{part:02d}" for part in self.parts()[1:])])

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json")
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # YAML reads `2019` as a number and `2019-06` as text; a language server reads `2019-06-17` as text too
        return {"type": ["integer", "string"], "pattern": PARTIAL_DATE_PATTERN, "minimum": FIRST_YEAR, "maximum": LAST_YEAR}

    @classmethod
    def _validate(cls, value: Any) -> PartialDate:
        """A year as a number (2019), a date as YAML reads `2019-06-17`, or the text "2019", "2019-06", "2019-06-17"."""
        parsed: PartialDate | None = None
        if isinstance(value, PartialDate):
            parsed = value
        elif isinstance(value, int) and not isinstance(value, bool):
            parsed = cls(value)
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            parsed = cls.of(value)
        elif isinstance(value, str):
            try:
                parsed = cls.parse(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            template = N_('write a year (2019), a month ("2019-06") or a day (2019-06-17); {value} is none of these')
            raise PydanticCustomError("partial_date", template, {"template": template, "value": repr(value)})
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            template = N_("the year {year} is outside {first}–{last}; correct the date")
            raise PydanticCustomError(
                "partial_date", template, {"template": template, "year": parsed.year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return parsed
