"""Records exported by a system (YAML, JSON, key: value blocks) → one line of notes per record.

A system's export spreads one fact over several lines ("item: 清理行政规范性文件", "value: 11件",
"prev_year: 9件", "verified: false"). Read line by line, the value loses its subject and last year's value reads as
this year's. The fields are read by meaning (`records.toml`: which keys name the thing, this year's value, another
year's value, whether it is confirmed, a remark, a change log, metadata), and each record becomes one line on the
record's first line number, in words the reader and the roles already understand: "行政执法：罚没款23.7万元，上年
19.2万元，该数据待确认". A remark field stays on its own line as "备注：…", which the roles set aside. Line numbers
are kept, so 材料归类 still points at the pasted line.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import lru_cache
from pathlib import Path

FIELDS_FILE = Path(__file__).with_name("records.toml")
KEY_VALUE = re.compile(
    r"^(?P<indent>\s*)(?P<dash>-\s+)?[\"']?(?P<key>[A-Za-z_][A-Za-z0-9_]{0,30}|[\u4e00-\u9fff]{1,8})[\"']?\s*[:：]\s*(?P<value>.*?)\s*,?\s*$"
)
FALSE = re.compile(r"^(?:false|no|n|0|否|未确认|未核实|待确认|待核实|未审核)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def fields() -> dict[str, frozenset[str]]:
    data = tomllib.loads(FIELDS_FILE.read_text(encoding="utf-8"))
    return {role: frozenset(k.lower() for k in keys) for role, keys in data["fields"].items()}


def _role(key: str) -> str:
    key = key.lower()
    return next((role for role, keys in fields().items() if key in keys), "")


def _clean(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()  # a quoted scalar; a “quoted name” inside the value stays
    return value


# A status that says the record's task is not finished ("UNFINISHED", "进行中"): written so the roles read it.
UNFINISHED = re.compile(
    r"^(?:unfinished|undone|doing|in_?progress|pending|todo|open|未完成|进行中|推进中|未办结)$", re.I
)


def assemble_json(lines: list[str]) -> list[str]:
    """A system's JSON pasted whole (an API reply copied from the browser): each object with a named item becomes
    one line of notes on the line where it starts, written as assemble_records() writes a record; the rest of the
    JSON (codes, ids, submitter, attachments, an audit trail) is the export's own and leaves no line."""
    start = next((n for n, ln in enumerate(lines) if ln.lstrip().startswith(("{", "["))), None)
    if start is None:
        return lines
    for end in range(len(lines), start, -1):
        block = "\n".join(lines[start:end])
        try:
            data = json.loads(block)
        except ValueError:
            continue
        records = list(_json_records(data))
        if not records:
            return lines
        out = lines[:start] + [""] * (end - start) + lines[end:]
        for record in records:
            at = _line_of(lines, start, end, record)
            row = [
                (at, str(k), _scalar(v)) for k, v in record.items() if _scalar(v) or _role(str(k)) == "log"
            ]
            fields_: list[tuple[int, str, str]] = []
            for _, key, value in row:
                if _role(key) == "status" and UNFINISHED.match(value):
                    value = "尚未完成"
                fields_.append((at, key, value))
            for change in record.get("history") or record.get("changes") or []:
                # The system's own change log: a field changed from old to new words stands changed.
                if isinstance(change, dict) and change.get("old") and change.get("new"):
                    fields_ = [
                        (a, k, v.replace(str(change["old"]), str(change["new"]))) for a, k, v in fields_
                    ]
            fields_ = [f for f in fields_ if _role(f[1]) != "log"]
            _write(_labelled(fields_), out)
        return out
    return lines


def _json_records(data: object):  # noqa: ANN202
    """Every object of the JSON that names an item and says something of it (a content, a value)."""
    if isinstance(data, dict):
        roles = {_role(str(k)) for k, v in data.items() if _scalar(v)}
        if "item" in roles and len(roles - {"", "meta"}) >= 2:
            yield data
            return
        for v in data.values():
            yield from _json_records(v)
    elif isinstance(data, list):
        for v in data:
            yield from _json_records(v)


def _scalar(v: object) -> str:
    if v is None or isinstance(v, (dict, list)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).strip()


def _labelled(record: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Of two item fields (a title and a content), the title labels the content: "会前学法：党委会会前学法12次"."""
    items = [(n, k, v) for n, k, v in record if _role(k) == "item"]
    if len(items) < 2:
        return record
    (n, k, title), (_, _, content) = items[0], items[-1]
    rest = [f for f in record if _role(f[1]) != "item"]
    value = [f for f in rest if _role(f[1]) == "value"]
    if value and re.search(r"\d", content):
        rest = [f for f in rest if _role(f[1]) != "value"]  # the content states its own figures
    return [(n, k, f"{title}：{content}"), *rest]


def _line_of(lines: list[str], start: int, end: int, record: dict) -> int:
    """The line of the block where the record starts: the first holding one of its strings."""
    probes = sorted((v for v in record.values() if isinstance(v, str) and len(v) >= 2), key=len, reverse=True)
    for probe in probes[:1]:  # its longest string: a group name is shared by many records, a content is not
        for n in range(start, end):
            if probe[:40] in lines[n]:
                return n
    return start


SERIAL_HEAD = re.compile(r"^(?:序号|编号|No\.?|#)$", re.I)
EMPTY_CELL = re.compile(r"^(?:&nbsp;|\u00a0|-|—|/)?$")


def cells_to_rows(lines: list[str]) -> list[str]:
    """A web page's table copied cell by cell, one cell a line ("序号 / 工作事项 / 落实情况 / 上年同期 / 备注", then
    "1 / 组织领导 / … / 2次 / &nbsp;"): each row becomes one line of tab-separated cells on its first line, the header
    too, so the table reader sees its columns (a 上年同期 column stays another year's). Empty cells (a blank line,
    &nbsp;) keep their place; rows are numbered 1, 2, 3 … and all have the header's width, or nothing is changed."""
    out = list(lines)
    n = 0
    while n < len(lines):
        if not SERIAL_HEAD.match(lines[n].strip()):
            n += 1
            continue
        k = 1
        while (
            n + k < len(lines)
            and 0 < len(lines[n + k].strip()) <= 10
            and not re.search(r"\d", lines[n + k])
            and not SERIAL_HEAD.match(lines[n + k].strip())
        ):
            k += 1
        if k < 3:
            n += 1
            continue
        rows, at, serial = [], n + k, 1
        # The last row may end the paste before its empty last cells.
        while at < len(lines) and lines[at].strip() == str(serial):
            rows.append(at)
            at, serial = at + k, serial + 1
        if len(rows) < 2:
            n += 1
            continue
        out[n] = "\t".join(c.strip() for c in lines[n : n + k])
        for m in range(n + 1, n + k):
            out[m] = ""
        for r in rows:
            cells = ["" if EMPTY_CELL.match(c.strip()) else c.strip() for c in lines[r : r + k]]
            cells += [""] * (k - len(cells))
            out[r] = "\t".join(cells)
            for m in range(r + 1, min(r + k, len(lines))):
                out[m] = ""
        n = at
    return out


def assemble_records(lines: list[str]) -> list[str]:
    """The notes' lines with each record of a system's export written as one line; other lines unchanged."""
    lines = cells_to_rows(assemble_json(lines))
    out = list(lines)
    records: list[list[tuple[int, str, str]]] = []
    current: list[tuple[int, str, str]] = []
    nested_at = -1  # indentation of a nested list (a change log): its lines belong to no new record
    for n, raw in enumerate(lines):
        m = KEY_VALUE.match(raw)
        if not m:
            if raw.strip().startswith(("- {", "{")) and nested_at >= 0:
                out[n] = ""  # an entry of a change log: the old value is corrected away
                continue
            if raw.strip():
                current = _close(records, current)
                nested_at = -1
            continue
        indent = len(m.group("indent"))
        if nested_at >= 0 and indent > nested_at:
            out[n] = ""
            continue
        nested_at = -1
        if m.group("dash"):
            current = _close(records, current)
        key, value = m.group("key"), _clean(m.group("value"))
        if _role(key) == "log":
            nested_at = indent
            out[n] = ""
            continue
        current.append((n, key, value))
    _close(records, current)
    for record in records:
        _write(record, out)
    if records:
        # In a system's export, a field outside any record ("report_status: 填报中", "unit: …") is the export's own.
        done = {n for record in records for n, _, _ in record}
        for n, raw in enumerate(lines):
            m = KEY_VALUE.match(raw)
            if n not in done and m and re.match(r"[A-Za-z_]", m.group("key")):
                out[n] = ""
    return out


def _close(records: list[list[tuple[int, str, str]]], current: list[tuple[int, str, str]]) -> list:
    roles = {_role(k) for _, k, _ in current}
    if "item" in roles and len(current) >= 2:
        records.append(current)
    return []


def _write(record: list[tuple[int, str, str]], out: list[str]) -> None:
    by: dict[str, list[str]] = {}
    for _, key, value in record:
        by.setdefault(_role(key), []).append(value)
    item = by["item"][0]
    value = next(iter(by.get("value", [])), "")
    text = f"{item}{value}" if re.match(r"^[\d约近超逾]|$", value) else f"{item}：{value}"
    clauses = [text]
    clauses += [e for e in by.get("extra", []) if e]
    clauses += [f"上年{v}" for v in by.get("earlier", []) if v and v not in ("—", "-", "null", "~")]
    clauses += [f"状态：{v}" for v in by.get("status", []) if v]
    if any(FALSE.match(v) for v in by.get("confirmed", [])):
        clauses.append("该数据待确认")
    line = "，".join(clauses)
    if part := next(iter(by.get("part", [])), ""):
        line = f"{part}：{line}"
    first = record[0][0]
    for n, key, value in record:
        role = _role(key)
        out[n] = f"备注：{value}" if role == "remark" and value else ""
    out[first] = line
