"""The spreadsheet peer of `healthcat-bench sheet`: openpyxl, the library a Python catalogue
reads and writes XLSX with, on the workbook healthcat exported.

    python openpyxl_sheet.py read WORKBOOK [OUT]    every cell of every sheet, read-only mode
    python openpyxl_sheet.py write WORKBOOK OUT     the same cells written to a new workbook

Prints one JSON object: the non-empty cells, the seconds of the measured part (for `write`, only
the writing: the cells are read first, untimed), and the process's peak RSS in MB.
"""
import json
import resource
import sys
import time

from openpyxl import Workbook, load_workbook


def cells(path):
    book = load_workbook(path, read_only=True, data_only=True)
    sheets = []
    for sheet in book.worksheets:
        sheets.append((sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]))
    book.close()
    return sheets


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "read":
        start = time.perf_counter()
        sheets = cells(path)
        seconds = time.perf_counter() - start
    elif mode == "write":
        sheets = cells(path)
        start = time.perf_counter()
        book = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(sys.argv[3])
        seconds = time.perf_counter() - start
    else:
        sys.exit(f"unknown mode {mode!r}: read or write")
    n = sum(1 for _, rows in sheets for row in rows for v in row if v is not None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cells": n, "seconds": seconds, "peak_rss_mb": peak}))


main()
