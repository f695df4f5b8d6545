"""A batch row's recorder: the columns `recorder_name`, `recorder_make`, `recorder_model`,
`recorder_serial`, `recorder_time_zone` and `recorder_offset` give the case one recorder
(its clock an offset, read like `dvr_offset`: `+00:04:30`, `DVR is 4m30s ahead`, seconds).

Each refused cell is a problem named after its column; the row is then invalid, the batch not.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.cases import DEFAULT_RECORDER, Recorder, parse_offset
from workbench.errors import FieldProblem, ValidationError, WorkbenchError

RECORDER_COLUMNS: dict[str, str] = {
    "recorder_name": "name", "recorder_make": "make", "recorder_model": "model",
    "recorder_serial": "serial", "recorder_time_zone": "time_zone",
    "recorder_offset": "offset",
}
"""Batch columns of a case's recorder, and the `Recorder` fields they fill (`offset`: its one
clock observation)."""
_COLUMN_OF = {field: column for column, field in RECORDER_COLUMNS.items()}


def recorder_of(cells: Mapping[str, object]) -> tuple[Recorder | None, list[FieldProblem]]:
    """The recorder the row's recorder cells describe (None when it has none), or the
    problems of the cells refused."""
    given = {RECORDER_COLUMNS[column]: str(value) for column, value in cells.items()
             if column in RECORDER_COLUMNS}
    if not given:
        return None, []
    if "dvr_offset" in cells and "offset" in given:
        return None, [FieldProblem(field="recorder_offset", message=(
            "the clock's offset goes in dvr_offset or recorder_offset, not both"))]
    fields: dict[str, object] = {"name": DEFAULT_RECORDER, **given}
    text = fields.pop("offset", None)
    if text is not None:
        try:
            offset = parse_offset(text)
        except ValueError as exc:
            return None, [FieldProblem(field="recorder_offset", message=str(exc))]
        try:
            fields["observations"] = Recorder.from_offset(offset).observations
        except (TypeError, OverflowError):
            return None, [FieldProblem(field="recorder_offset",
                                       message="is not an offset within the calendar")]
    try:
        return Recorder.model_validate(fields), []
    except WorkbenchError as exc:
        payload = exc.payload
        found = payload.problems if isinstance(payload, ValidationError) else [
            FieldProblem(field="recorder_name", message=str(exc))]
        return None, [problem.model_copy(update={"field": _COLUMN_OF.get(
            problem.field.split(".")[0], "recorder_name")}) for problem in found]


__all__ = ["RECORDER_COLUMNS", "recorder_of"]
