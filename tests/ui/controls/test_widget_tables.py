"""Widget tables and summaries in people's words and one set of units: sizes as `human_size`,
speeds in MB/s, seconds as such, unknown as a dash; row colours still follow the status."""

from __future__ import annotations

import pandas as pd

from workbench.evidence import human_size
from workbench.ui.controls import styled_table, summary_html


def test_a_summary_has_labels_and_units() -> None:
    text = summary_html({"outcome": "completed", "verified": 8, "bytes_verified": 431_368,
                         "duration_s": 1.234, "throughput_mbps": 35.2})
    assert "size verified <b>431.4 kB</b>" in text and "verified <b>8</b>" in text
    assert "duration <b>1.2 s</b>" in text and "speed <b>35 MB/s</b>" in text
    assert "_" not in text.replace("wb-summary", "")


def test_a_table_has_headings_sizes_and_colours() -> None:
    frame = pd.DataFrame({"relative": ["a.dav", "b.dav"], "size": [1_200_000, 5],
                          "status": ["verified", "mismatch"], "duration_s": [1.0, None]})
    text = styled_table(frame, "status", {"mismatch": "color:red"})
    assert ">file</th>" in text and ">duration</th>" in text and "relative" not in text
    assert f">{human_size(1_200_000)}</td>" in text and ">5 B</td>" in text
    assert ">—</td>" in text and "nan" not in text
    style = text[text.index("<style"):text.index("</style>")]
    assert "row1_col0" in style and "color: red" in style  # the mismatch row is the red one
    assert "row0_col0" not in style


def test_headings_that_would_collide_keep_their_own_names() -> None:
    frame = pd.DataFrame({"relative": ["a"], "file": ["b"], "status": ["ok"]})
    text = styled_table(frame, "status", {})
    assert ">relative</th>" in text and ">file</th>" in text
