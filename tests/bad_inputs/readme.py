"""The README's tables of bad inputs and bad command lines, generated from the corpus.

python -m tests.bad_inputs.readme     # prints them; a test keeps the README equal to this
"""

from __future__ import annotations

from tests.bad_inputs import cli_cases, corpus

EXTRA = """| GBK Shapefile without `.cpg`, Chinese field names | `landkit import` reads it correctly (GB18030 detected), field names kept | |
| a polygon with a million vertices | `landkit areas` measures it (agrees with Karney to 1e-7) | |
| a file locked by another writer | reads work; a write waits `settings.busy_timeout_s` (30 s), then says “being written by another program”, exit 2 | |
| M (measured) coordinates | `check_project` reports “measured (M) coordinates” (GDAL cannot write them to GeoPackage through pyogrio) | |"""  # noqa: E501


def _outcome(code: int, phrase: str, *, schema: bool = False) -> str:
    if code == 0 and schema and phrase == "validation: ok":
        return "no schema problem (not its job)"
    kind = {0: "accepted", 1: "finding", 2: "error", 3: "bug"}[code]
    return f"{kind}, exit {code}: “{phrase}”"


def tables() -> str:
    rows = ["| bad input | `landkit info` | `landkit audit` |", "| --- | --- | --- |"]
    for c in corpus.cases():
        rows.append(f"| {c.what} | {_outcome(*c.info, schema=True)} | {_outcome(*c.audit)} |")
    rows.append(EXTRA)
    rows += ["", "| bad command line | outcome (CLI; the API raises the same message) |", "| --- | --- |"]
    for c in cli_cases.cases():
        rows.append(f"| {c.what} | {_outcome(*c.expect)} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(tables())
