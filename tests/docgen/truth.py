"""Known numbers for generated reports: every generated document renders one Truth.

A Truth holds the value of every cell of tables 二, 三 and 四 (None for a blank
cell) plus the heading and prose; renderers (text, PDF, HTML, DOCX) turn it
into a document, and tests compare what the pipeline loads with
:meth:`Truth.expected`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from spec import codes

APPLICANTS = list(codes.applicants())
SIX = APPLICANTS[:-1]
PROCEEDINGS = list(codes.proceedings())
OUTCOMES = list(codes.outcomes())
OUTCOME_ROWS_3 = [
    r
    for r in codes.request_row_codes(3)
    if r not in ("new_received", "carried_over", "total_processed", "carried_forward")
]

AGENCIES = [
    "偃师区科学技术局",
    "保定市科学技术局",
    "郑州市金水区人民政府",
    "河南省自然资源厅",
    "洛阳市生态环境局",
    "开封市市场监督管理局",
    "新乡县教育局",
    "石家庄市长安区人民政府办公室",
]


@dataclass
class Truth:
    agency: str
    year: int
    template: str  # '2019' | '2021'
    other_rows: int  # 1 or 3 rows for （六）其他处理
    requests: dict[tuple[str, str], int | None]
    appeals: dict[tuple[str, str], int | None]
    active: dict[tuple[str, str], float | None]  # money in 万元
    prose: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # arithmetic errors put in on purpose

    def expected_status(self) -> str:
        """Return the status the document must end with: the template's identities decide
        (a blank counts as 0), so a stated total that does not add up is ``inconsistent``."""
        from spec.identities import report_checks

        checks = report_checks(self.requests, self.appeals)
        return "valid" if all(c.passed for c in checks) else "inconsistent"

    @property
    def row_codes(self) -> list[str]:
        return list(codes.request_row_codes(self.other_rows))

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def expected(self) -> dict[tuple[str, str, str], float | int | None]:
        """Return (table, row, col) -> value, tables named as in the warehouse."""
        out: dict[tuple[str, str, str], float | int | None] = {}
        for (r, a), v in self.requests.items():
            out[("requests", r, a)] = v
        for (p, o), v in self.appeals.items():
            out[("appeals", p, o)] = v
        for (i, m), v in self.active.items():
            out[("active_disclosure", i, m)] = v
        return out


def _small(rng: random.Random, zero_share: float = 0.4, high: int = 60) -> int:
    return 0 if rng.random() < zero_share else rng.randint(1, high)


def random_truth(
    rng: random.Random,
    template: str = "2021",
    *,
    other_rows: int | None = None,
    consistent: bool = True,
    blank_share: float = 0.0,
    agency: str | None = None,
    year: int | None = None,
) -> Truth:
    """Return a Truth with random non-zero numbers whose arithmetic holds when `consistent`.

    `blank_share` of the zero cells are left blank (None), as documents often do.
    """
    other_rows = other_rows or (3 if template == "2021" else 1)
    outcome_rows = (
        OUTCOME_ROWS_3
        if other_rows == 3
        else [r for r in codes.request_row_codes(1) if r in OUTCOME_ROWS_3 or r == "other"]
    )
    outcome_rows = [
        r
        for r in outcome_rows
        if r not in ("new_received", "carried_over", "total_processed", "carried_forward")
    ]
    req: dict[tuple[str, str], int | None] = {}
    for a in SIX:
        for r in outcome_rows:
            req[(r, a)] = _small(
                rng, 0.6 if a == "natural_person" else 0.85, 40 if a == "natural_person" else 6
            )
        total = sum(req[(r, a)] for r in outcome_rows)
        forward = _small(rng, 0.6, 8)
        carried = rng.randint(0, min(total + forward, 9))
        req[("total_processed", a)] = total
        req[("carried_forward", a)] = forward
        req[("carried_over", a)] = carried
        req[("new_received", a)] = total + forward - carried
    for r in codes.request_row_codes(other_rows):
        req[(r, "total")] = sum(req[(r, a)] for a in SIX)
    if not consistent:
        r, a = rng.choice(
            [
                ("granted", "natural_person"),
                ("total_processed", "total"),
                ("new_received", "commercial"),
            ]
        )
        req[(r, a)] += rng.randint(1, 5)

    app: dict[tuple[str, str], int | None] = {}
    for p in PROCEEDINGS:
        parts = [_small(rng, 0.6, 9) for _ in range(4)]
        for o, v in zip(OUTCOMES[:4], parts, strict=True):
            app[(p, o)] = v
        app[(p, "total")] = sum(parts)

    act: dict[tuple[str, str], float | None] = {}
    for c in codes.active_cells(template):
        if c.unit == "万元":
            act[(c.item, c.metric)] = round(rng.choice([0, rng.randint(1, 99999) / 100]), 2)
        elif c.metric == "change":
            act[(c.item, c.metric)] = float(rng.randint(-5, 5))
        else:
            act[(c.item, c.metric)] = float(_small(rng, 0.3, 300))

    truth = Truth(
        agency=agency or rng.choice(AGENCIES),
        year=year or (rng.randint(2021, 2025) if template == "2021" else rng.randint(2019, 2020)),
        template=template,
        other_rows=other_rows,
        requests=req,
        appeals=app,
        active=act,
        prose={
            1: "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开工作。",
            5: "存在的问题：公开内容不够全面。改进措施：加强培训，完善制度。",
            6: "本机关未收取信息处理费。",
        },
    )
    if blank_share:
        for d in (truth.requests, truth.appeals):
            for k, v in d.items():
                if v == 0 and rng.random() < blank_share:
                    d[k] = None
    return truth


def _outcome_rows(truth: Truth) -> list[str]:
    return [
        r
        for r in truth.row_codes
        if r not in ("new_received", "carried_over", "total_processed", "carried_forward")
    ]


def _rebalance(truth: Truth) -> None:
    """Given a Truth whose outcome rows changed, restore totals and the balance per applicant."""
    req = truth.requests
    for a in SIX:
        total = sum(req[(r, a)] or 0 for r in _outcome_rows(truth))
        req[("total_processed", a)] = total
        forward = req[("carried_forward", a)] or 0
        carried = min(req[("carried_over", a)] or 0, total + forward)
        req[("carried_over", a)] = carried
        req[("new_received", a)] = total + forward - carried
    for r in truth.row_codes:
        req[(r, "total")] = sum(req[(r, a)] or 0 for a in SIX)


def zero_rows(truth: Truth, rng: random.Random, k: int) -> list[str]:
    """Given a Truth, set k random outcome rows to 0 in every column (arithmetic kept); return them."""
    rows = rng.sample(_outcome_rows(truth), min(k, len(_outcome_rows(truth))))
    for r in rows:
        for a in SIX:
            truth.requests[(r, a)] = 0
    _rebalance(truth)
    return rows


def zero_table(truth: Truth, table: str) -> None:
    """Given a Truth, set every cell of one table (requests, appeals, active) to 0."""
    cells = {"requests": truth.requests, "appeals": truth.appeals, "active": truth.active}[table]
    for k in cells:
        cells[k] = 0.0 if table == "active" else 0


def blank_zeros(truth: Truth, rng: random.Random, pattern: str, share: float = 0.5) -> None:
    """Given a Truth, leave zero cells blank (None) by `pattern`:

    ``cells`` a random `share` of zero cells in every table; ``rows`` whole all-zero rows
    (some outcome rows zeroed first); ``tables`` one whole table zeroed and blank;
    ``all`` every zero cell.
    """
    tables = {"requests": truth.requests, "appeals": truth.appeals, "active": truth.active}
    if pattern == "rows":
        zero_rows(truth, rng, rng.randint(2, 6))
        by_row: dict[str, list[tuple[str, str]]] = {}
        for key in truth.requests:
            by_row.setdefault(key[0], []).append(key)
        for keys in by_row.values():
            if all(truth.requests[k] == 0 for k in keys):
                for k in keys:
                    truth.requests[k] = None
        for p in PROCEEDINGS:
            if all(truth.appeals[(p, o)] == 0 for o in OUTCOMES) and rng.random() < 0.7:
                for o in OUTCOMES:
                    truth.appeals[(p, o)] = None
        return
    if pattern == "tables":
        name = rng.choice(["appeals", "appeals", "requests", "active"])
        zero_table(truth, name)
        for k in tables[name]:
            tables[name][k] = None
        return
    for cells in tables.values():
        for k, v in cells.items():
            if v == 0 and (pattern == "all" or rng.random() < share):
                cells[k] = None


def inject_error(truth: Truth, rng: random.Random) -> str:
    """Given a Truth, make one stated number disagree with the template's arithmetic, as
    sources do (a total that does not add up); return what was changed."""
    where = rng.choice(
        [
            ("requests", "total_processed", rng.choice(APPLICANTS)),
            ("requests", "new_received", rng.choice(APPLICANTS)),
            ("requests", rng.choice(_outcome_rows(truth)), "total"),
            ("requests", "granted", "natural_person"),
            ("appeals", rng.choice(PROCEEDINGS), "total"),
            ("appeals", rng.choice(PROCEEDINGS), rng.choice(OUTCOMES[:4])),
        ]
    )
    table, row, col = where
    cells = truth.requests if table == "requests" else truth.appeals
    delta = rng.choice([1, 2, 3, 10, -1])
    old = cells[(row, col)] or 0
    if old + delta < 0:
        delta = -delta
    cells[(row, col)] = old + delta
    note = f"{table} {row}/{col}: {old} -> {old + delta}"
    truth.errors.append(note)
    return note
