"""The base of every public model: documented fields, no unknown fields, typed errors."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar, cast, overload

import pydantic
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import core_schema

from workbench.errors import FieldProblem, ValidationError, WorkbenchError

_C = TypeVar("_C", bound="Contract")
_R = TypeVar("_R")
_M = TypeVar("_M", bound="ModelColumns[Any]")


def problems_from(exc: pydantic.ValidationError) -> list[FieldProblem]:
    """pydantic's error list as `FieldProblem`s (dotted field names, plain messages)."""
    problems = []
    for item in exc.errors(include_url=False):
        loc = [str(part) for part in item["loc"]]
        level = int(loc[1]) if len(loc) > 1 and loc[0] == "levels" and loc[1].isdigit() else None
        message = item["msg"].removeprefix("Value error, ")
        problems.append(FieldProblem(field=".".join(loc) or "value", message=message, level=level))
    return problems


class Contract(BaseModel):
    """A pydantic model whose invalid input raises `error_class` with a `ValidationError`.

    Subclasses check values with field validators (or `Annotated` validators): those run
    inside the wrap below. A subclass `model_validator(mode="after")` would run outside it
    and leak a raw pydantic error, so none is used.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, validate_default=True
    )
    error_class: ClassVar[type[WorkbenchError]] = WorkbenchError

    @model_validator(mode="wrap")
    @classmethod
    def _raise_typed(cls, data: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except pydantic.ValidationError as exc:
            raise cls.error_class(ValidationError.of(problems_from(exc))) from None

    @classmethod
    def from_checked(cls: type[_C], **values: Any) -> _C:
        """An instance of values that were checked already, without validating them again;
        every instance made from the same fields shares one fields-set (pydantic copies it
        before any change), about 700 bytes less per instance than `model_construct` alone:
        what 100,000 rows of a plan or a report cost counts."""
        names = frozenset(values)
        shared = _FIELDS_SETS.get((cls, names))
        if shared is None:
            shared = _FIELDS_SETS.setdefault((cls, names), set(names))
        # Defaults are filled in here: pydantic would inspect each default factory's signature
        # for every instance (0.1 ms each, 2.5 s of a 20,000-file audit's MHL generation).
        for name, field in cls.model_fields.items():
            if name not in values:
                factory = field.default_factory
                values[name] = factory() if factory is not None else field.default  # type: ignore[call-arg]
        return cast(_C, cls.model_construct(_fields_set=shared, **values))


_NONE = -(1 << 63)
"""None in a packed column."""
_FIELDS_SETS: dict[tuple[type[BaseModel], frozenset[str]], set[str]] = {}
"""One fields-set per model and set of given fields, for `Contract.from_checked`."""


class ModelColumns(Sequence[_C]):
    """Rows of one model kept as one list per field, each row made only when it is read.

    A model per row costs ~350 bytes more than the references its fields hold, which counts
    at 100,000 rows; the columns cost a reference per field. As a model field (annotate it
    `Annotated[Sequence[Row], TheColumns]`) it validates from a list of rows and serialises
    to one, so the contract and its schema stay a list. `encoders` turn a field's value into
    the stored one and `decoders` back (a subclass may store a path as text, a status as a
    code); the fields in `packed` are integers (or None) kept in one `array` each.
    """

    __slots__ = ("_columns", "_order")
    row_type: ClassVar[type[Contract]]
    """The model of each row."""
    decoders: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    """Field → how its stored value becomes the field's value."""
    encoders: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    """Field → how its value is stored (`of`)."""
    packed: ClassVar[frozenset[str]] = frozenset()
    """Integer fields (None allowed) stored in an `array("q")` each, 8 bytes a row."""
    sparse: ClassVar[frozenset[str]] = frozenset()
    """Fields whose empty value is stored as None (a row gets its default back)."""

    def __init__(self, columns: dict[str, Sequence[Any]],
                 order: Sequence[int] | None = None) -> None:
        """`columns[field][i]` is the stored value of row `i` (of row `k` = `order[k]`, if
        given); every field of `row_type` has a column."""
        self._columns, self._order = columns, order

    @classmethod
    def of(cls, rows: Iterable[_C]) -> ModelColumns[_C]:
        """The columns of `rows` (stored as the values themselves)."""
        names = list(cls.row_type.model_fields)
        columns: dict[str, Any] = {
            name: array("q") if name in cls.packed else [] for name in names}
        appends = [(name, columns[name].append, cls.encoders.get(name)) for name in names]
        for row in rows:  # one row at a time: a generator of rows is never held whole
            for name, append, encode in appends:
                value = getattr(row, name)
                if name in cls.packed:
                    value = _NONE if value is None else value
                elif name in cls.sparse and not value:
                    value = None
                append(encode(value) if encode is not None else value)
        return cls(columns)

    @classmethod
    def of_any(cls: type[_M], rows: Sequence[Any]) -> _M:
        """`rows` as these columns (the very object when it is one already)."""
        return rows if isinstance(rows, cls) else cast(_M, cls.of(rows))

    def __len__(self) -> int:
        return len(self._order) if self._order is not None else len(
            next(iter(self._columns.values()), ()))

    @overload
    def __getitem__(self, index: int) -> _C: ...

    @overload
    def __getitem__(self, index: slice) -> list[_C]: ...

    def __getitem__(self, index: int | slice) -> _C | list[_C]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        i = index if self._order is None else self._order[index]
        values = {}
        for name, column in self._columns.items():
            value = column[i]
            if name in self.packed and value == _NONE:
                value = None
            elif name in self.sparse and value is None:
                continue  # `from_checked` fills in the default
            values[name] = self.decoders[name](value) if name in self.decoders else value
        return cast(_C, self.row_type.from_checked(**values))

    def select(self: _M, indices: Sequence[int]) -> _M:
        """The rows at these positions, as a view on the same columns."""
        order = indices if self._order is None else [self._order[k] for k in indices]
        return type(self)(self._columns, order)

    def indices(self) -> Iterator[int]:
        """The column index of each row, in row order."""
        return iter(range(len(self))) if self._order is None else iter(self._order)

    def column(self, name: str) -> Sequence[Any]:
        """The stored values of one field, by column index (see `indices`)."""
        return self._columns[name]

    def values(self, name: str) -> Sequence[Any]:
        """The stored values of one field in row order (the column itself unless a view)."""
        column = self._columns[name]
        return column if self._order is None else [column[i] for i in self._order]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows)"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: pydantic.GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        rows = handler.generate_schema(list[cls.row_type])  # type: ignore[name-defined]
        from_list = core_schema.no_info_after_validator_function(cls.of, rows)
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_list]),
            serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda value, serialise: serialise(list(value)), schema=rows),
        )


class LazyRows(Sequence[_R]):
    """Rows made one at a time by `row(i)` when read, never all at once: a table of 100,000
    files laid out row by row holds one row, not 100,000."""

    __slots__ = ("_count", "_row")

    def __init__(self, count: int, row: Callable[[int], _R]) -> None:
        """`count` rows, row `i` being `row(i)`."""
        self._count, self._row = count, row

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> _R: ...

    @overload
    def __getitem__(self, index: slice) -> list[_R]: ...

    def __getitem__(self, index: int | slice) -> _R | list[_R]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._row(index % self._count)
