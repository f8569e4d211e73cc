"""An approximate figure of the notes ("大概12次", "150人左右", "十来件") written as exact in the text ("12次",
"150人", "10件") is a wrong figure: the notes never said so many exactly.

The check reads figures only (drafting.text.numbers, whose Figure says whether it is given as approximate) and
compares values: it shares nothing with any writer, so an offline draft and an LLM reply are held to one rule.
A value the notes also give exactly, under the same kind of unit, is supported as exact and not named here.
"""

from __future__ import annotations

import re

from core.types import Fact, register_problem_kind
from drafting.checks.claims import figure_claims, figure_value, same_unit_kind
from drafting.text.numbers import CITATION, UNITS, Figure, find_figures

APPROXIMATE_AS_EXACT = register_problem_kind(
    "approximate_as_exact", "材料中的约数（约、左右、余、来）在正文中写成了确数", "red"
).name

# The unit word after a marker that sits between a number and its unit ("40余起", "10来件").
_UNIT_AFTER = re.compile(r"[余多来]?(" + "|".join(re.escape(u) for u in UNITS if u[0] not in "余多") + ")")

Value = tuple[float, str]  # (value, unit class word)


def _value(fig: Figure, text: str) -> Value | None:
    """The figure's value and unit word, its own marker of approximation off; None for a bare number."""
    number = re.sub(r"[余多来]$", "", fig.number)
    unit = fig.unit
    if not unit:
        m = _UNIT_AFTER.match(text, fig.start + len(fig.text))
        unit = m.group(1) if m else ""
    value, _approx, unit_word = figure_value(number, unit.lstrip("余多"))
    if value is None or not (unit_word or unit):
        return None
    return value, unit_word or unit


def _same(a: Value, b: Value) -> bool:
    return abs(a[0] - b[0]) < 1e-9 and same_unit_kind(a[1], b[1])


def approximate_as_exact(text: str, facts: list[Fact], *, year: int | None = None) -> list[str]:
    """The text's exact figures whose value the notes give only as approximate, as the text writes them."""
    approximate: list[Value] = []
    exact: list[Value] = []
    for fact in facts:
        for fig in find_figures(fact.text, year=year):
            if (value := _value(fig, fact.text)) is not None:
                (approximate if fig.approximate else exact).append(value)
    if not approximate:
        return []
    body = CITATION.sub("", text)
    out: list[str] = []
    for written, value in _stated_exactly(body, year):
        only_approximate = any(_same(value, a) for a in approximate) and not any(
            _same(value, e) for e in exact
        )
        if only_approximate and written not in out:
            out.append(written)
    return out


# A hedge beside a single numeral ("约十件", "十件左右"), which the figure finder leaves to set phrases.
_HEDGE_BEFORE = re.compile(r"(?:约|近|大约|大概|将近|接近)$")


def _stated_exactly(body: str, year: int | None) -> list[tuple[str, Value]]:
    """The text's figures given as exact, as written with their values; single Chinese numerals with a count unit
    ("复议十件") included, as the claims read them."""
    out: list[tuple[str, Value]] = []
    figures = find_figures(body, year=year)
    for fig in figures:
        if not fig.approximate and (value := _value(fig, body)) is not None:
            out.append((fig.text, value))
    taken = {f.start for f in figures}
    for claim in figure_claims(body, year=year):
        end = claim.start + len(claim.text)
        if claim.start in taken or claim.approx or not claim.unit:
            continue
        if _HEDGE_BEFORE.search(body[: claim.start]) or body.startswith("左右", end):
            continue
        out.append((claim.text, (claim.value, claim.unit)))
    return out
