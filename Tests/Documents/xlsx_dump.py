#!/usr/bin/env python3
"""Reads a workbook with openpyxl (an independent reader) and prints what the tests check, as JSON:
sheet names, frozen panes, autofilter, column widths and every cell with its value, type and number format."""
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (pip install openpyxl)", file=sys.stderr)
    sys.exit(3)

path = sys.argv[1]
max_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
wb = openpyxl.load_workbook(path)
out = {"sheets": []}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(max_row=min(ws.max_row, max_rows)):
        cells = []
        for c in row:
            v = c.value
            cells.append({"v": v, "t": type(v).__name__, "fmt": c.number_format, "bold": bool(c.font and c.font.b)})
        rows.append(cells)
    widths = {k: v.width for k, v in ws.column_dimensions.items() if v.width}
    out["sheets"].append({"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                          "max_row": ws.max_row, "max_column": ws.max_column, "widths": widths, "rows": rows})
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
