"""The group-wise sums in PostgreSQL: push the aggregation into SQL, or move the rows out.

A national world (:mod:`mutu.synthetic.national`, partitioned Parquet) is
loaded into plain tables of the schema :data:`SCHEMA`, each declared
``PARTITION BY LIST (instansi)`` with one partition per instansi (and a
default partition), filled with ``COPY … FROM STDIN`` (psycopg 3's
``cursor.copy()``). Then the same figures are computed two ways:

* :func:`pushdown` — **SQL push-down.** One ``GROUP BY instansi, activity``
  query per level with ``enable_partitionwise_aggregate`` and
  ``enable_partitionwise_join`` on, so every partition is joined and summed on
  its own, and only one row per activity (one per ASN for the JP rule) leaves
  the database: for L1 the pairwise sums ``N_ij``, ``Σx_i``, ``Σx_j``,
  ``Σx_i·x_j`` of the reaction items and each item's min and max; for L2
  ``n``, ``Σd``, ``Σd²``, ``Σpre``, ``Σpost`` of the complete pre/post pairs;
  for the JP rule the person's approved ``ΣJP`` and ``Σminutes``. Python then
  finishes with the same code as :mod:`mutu.evaluation.fast.stats` after its
  ``bincount`` (:func:`~mutu.evaluation.fast.stats.alpha_from_sums`,
  :func:`~mutu.evaluation.fast.stats.paired_from_sums`,
  :func:`~mutu.evaluation.fast.evaluate.jp_from_sums`).
* :func:`move_rows` — **moving rows.** ``COPY (SELECT the columns …) TO
  STDOUT`` partition group by partition group (the Parquet chunks), parsed by
  Arrow's CSV reader into pandas frames, and the fast path
  (:func:`~mutu.evaluation.fast.evaluate.reaction_alpha`,
  :func:`~mutu.evaluation.fast.evaluate.pre_post_pairs`,
  :func:`~mutu.evaluation.fast.evaluate.learning_change`,
  :func:`~mutu.evaluation.fast.evaluate.jp_per_asn`) run on them.

Both give one frame per level with the columns of the fast path, so they can
be compared figure by figure (:func:`max_abs_diff`).

The instansi of a row is the prefix of its activity code (the national world
names activities ``<instansi>-<year>-<n>``), the response's instansi for
answers and identities, and the employee's ``unit`` for the JP ledger. Ties
in ``submitted_at`` between two responses of one person, activity and occasion
go to the larger token, which in the national world is the later row, as in
the fast path.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.evaluate import (
    REACTION_KINDS,
    alpha_columns,
    jp_from_sums,
    jp_per_asn,
    learning_change,
    pre_post_pairs,
    reaction_alpha,
    response_rows,
)
from mutu.evaluation.fast.stats import alpha_from_sums, paired_from_sums

__all__ = [
    "SCHEMA",
    "Figures",
    "JpRule",
    "LoadResult",
    "load_national",
    "max_abs_diff",
    "move_rows",
    "pushdown",
    "session_settings",
]

#: The schema the bench creates, fills and drops (it owns it: an earlier one is replaced).
SCHEMA = "mutu_bench"

#: Per-instansi tables (``instansi`` first: the partition key) and their columns' SQL types.
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "employees": (("instansi", "text"), ("nip", "text"), ("status", "text")),
    "responses": (("instansi", "text"), ("token", "bigint"), ("instrument", "text"),
                  ("version", "integer"), ("activity", "text"),
                  ("submitted_at", "timestamp"), ("occasion", "text")),
    "response_identities": (("instansi", "text"), ("token", "bigint"), ("nip", "text")),
    "answers": (("instansi", "text"), ("token", "bigint"), ("item", "text"),
                ("value", "double precision"), ("option", "text")),
    "jp_ledger": (("instansi", "text"), ("nip", "text"), ("year", "integer"),
                  ("jp", "double precision"), ("minutes", "double precision"),
                  ("approval_status", "text")),
}  # fmt: skip
#: Small tables read once (not partitioned).
GLOBAL_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "instansi": (("code", "text"), ("chunk", "integer")),
    "instruments": (("code", "text"), ("kind", "text")),
    "items": (("instrument", "text"), ("version", "integer"), ("code", "text"),
              ("item_type", "text"), ("scale", "text"), ("is_reverse", "boolean"),
              ("answer_key", "text"), ("points", "double precision")),
    "scales": (("name", "text"), ("min_value", "double precision"),
               ("max_value", "double precision")),
}  # fmt: skip
#: Text columns read back as categoricals (as the Parquet path reads them).
CATEGORICAL = {"status", "instrument", "occasion", "item", "option", "approval_status", "kind"}
COPY_BATCH_ROWS = 500_000


def session_settings(cur: Any, work_mem: str = "256MB") -> None:
    """Planner settings for both paths: partition-wise joins and aggregates, more work memory."""
    cur.execute("SET enable_partitionwise_aggregate = on")
    cur.execute("SET enable_partitionwise_join = on")
    cur.execute(f"SET work_mem = '{work_mem}'")


def _q(name: str) -> str:
    return f'{SCHEMA}."{name}"'


def _literal(text: str) -> str:
    """A SQL string literal (for DDL and COPY, which take no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass
class LoadResult:
    """What :func:`load_national` loaded."""

    rows: dict[str, int]
    instansi: list[str]
    chunks: dict[int, list[str]]
    seconds: float


def _instansi_of_activity(activity: pa.ChunkedArray) -> pa.Array:
    parts = pc.split_pattern(activity, "-", max_splits=1)
    return pc.list_element(parts, 0)


def _copy_in(cur: Any, table: str, data: pa.Table) -> int:
    """``COPY table FROM STDIN (FORMAT csv)`` from an Arrow table, in batches."""
    cols = [c for c, _ in (TABLES.get(table) or GLOBAL_TABLES[table])]
    data = data.select(cols)
    stmt = f"COPY {_q(table)} ({', '.join(cols)}) FROM STDIN (FORMAT csv)"
    opts = pacsv.WriteOptions(include_header=False)
    with cur.copy(stmt) as copy:
        for start in range(0, data.num_rows, COPY_BATCH_ROWS):
            buf = io.BytesIO()
            pacsv.write_csv(data.slice(start, COPY_BATCH_ROWS), buf, write_options=opts)
            copy.write(buf.getbuffer())
    return int(data.num_rows)


def _national_folder(folder: Path) -> list[str]:
    """The chunk files of a national world (``part-00000.parquet`` …), checked."""
    manifest = folder / "manifest.json"
    import json

    if not manifest.exists() or json.loads(manifest.read_text("utf-8")).get("kind") != "national":
        raise MutuValueError(
            f"Folder {folder} tidak berisi dunia nasional (manifest.json kind=national).",
            f"Folder {folder} holds no national world (manifest.json kind=national).",
            field="world",
        )
    return sorted(p.name for p in (folder / "employees").glob("part-*.parquet"))


def load_national(conn: Any, folder: Path) -> LoadResult:
    """Create :data:`SCHEMA` (replacing an earlier one) and COPY the national world into it.

    One transaction: on any error nothing of the schema is left.
    """
    started = time.perf_counter()
    parts = _national_folder(folder)
    inst = pq.read_table(folder / "instansi" / "part-global.parquet").to_pandas()
    codes = [str(c) for c in inst["code"]]
    chunks: dict[int, list[str]] = {}
    for code, chunk in zip(codes, inst["chunk"].astype(int), strict=True):
        chunks.setdefault(int(chunk), []).append(code)
    rows: dict[str, int] = {}
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cur.execute(f"CREATE SCHEMA {SCHEMA}")
        for name, cols in GLOBAL_TABLES.items():
            decl = ", ".join(f'"{c}" {t}' for c, t in cols)
            cur.execute(f"CREATE TABLE {_q(name)} ({decl})")
        for name, cols in TABLES.items():
            decl = ", ".join(f'"{c}" {t}' for c, t in cols)
            cur.execute(f"CREATE TABLE {_q(name)} ({decl}) PARTITION BY LIST (instansi)")
            for i, code in enumerate(codes):
                cur.execute(
                    f'CREATE TABLE {SCHEMA}."{name}_{i}" PARTITION OF {_q(name)} '
                    f"FOR VALUES IN ({_literal(code)})"
                )
            cur.execute(f'CREATE TABLE {SCHEMA}."{name}_default" PARTITION OF {_q(name)} DEFAULT')
        for name in ("instruments", "items", "scales"):
            table = pq.read_table(folder / name / "part-global.parquet")
            rows[name] = _copy_in(cur, name, table)
        rows["instansi"] = _copy_in(
            cur, "instansi", pa.table({"code": codes, "chunk": inst["chunk"]})
        )
        for part in parts:
            emp = pq.read_table(folder / "employees" / part, columns=["nip", "status", "unit"])
            emp = emp.append_column("instansi", emp["unit"])
            rows["employees"] = rows.get("employees", 0) + _copy_in(cur, "employees", emp)
            resp = pq.read_table(folder / "responses" / part)
            r_inst = _instansi_of_activity(resp["activity"])
            resp = resp.append_column("instansi", r_inst)
            rows["responses"] = rows.get("responses", 0) + _copy_in(cur, "responses", resp)
            r_tokens = pd.DataFrame({"token": resp["token"].to_pandas()})
            for name in ("response_identities", "answers"):
                tab = pq.read_table(folder / name / part)
                at = response_rows(r_tokens, tab["token"].to_numpy())
                inst_col = pc.take(r_inst, pa.array(at, mask=at < 0))  # null: no response
                tab = tab.append_column("instansi", inst_col)
                rows[name] = rows.get(name, 0) + _copy_in(cur, name, tab)
            led = pq.read_table(folder / "jp_ledger" / part)
            who = pc.index_in(led["nip"], value_set=emp["nip"].combine_chunks())
            unit = emp["unit"].combine_chunks()
            inst_col2 = pc.take(unit, who)  # null where the person is not an employee
            led = led.append_column("instansi", inst_col2)
            if "minutes" not in led.column_names:
                led = led.append_column("minutes", pa.nulls(led.num_rows, type=pa.float64()))
            rows["jp_ledger"] = rows.get("jp_ledger", 0) + _copy_in(cur, "jp_ledger", led)
        for name in (*GLOBAL_TABLES, *TABLES):
            cur.execute(f"ANALYZE {_q(name)}")
    return LoadResult(rows, codes, chunks, time.perf_counter() - started)


def drop_schema(conn: Any) -> None:
    """Remove :data:`SCHEMA` and everything in it."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


# --------------------------------------------------------------------------- helpers


def _read_global(cur: Any) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for name in ("instruments", "items", "scales"):
        cols = [c for c, _ in GLOBAL_TABLES[name]]
        cur.execute(f"SELECT {', '.join(cols)} FROM {_q(name)}")
        out[name] = pd.DataFrame(cur.fetchall(), columns=cols)
    return out


@dataclass(frozen=True)
class JpRule:
    """The JP rule's numbers (from the ``jp`` rulebook) and the year."""

    year: int
    floor_jp: float
    ceiling_jp: float
    minutes_per_jp: float


@dataclass
class Figures:
    """One way's figures: per-activity L1 and L2 frames, JP per ASN, timings and row counts."""

    alpha: pd.DataFrame
    change: pd.DataFrame
    jp: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)
    rows_out: dict[str, int] = field(default_factory=dict)


def _fetch_frame(cur: Any, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    cur.execute(sql, params)
    cols = [d.name for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=cols)


# --------------------------------------------------------------------------- (a) SQL


def _l1_sql(codes: Sequence[str], reverse: set[str], lo: float, hi: float) -> str:
    k = len(codes)
    pivots = []
    for i, code in enumerate(codes):
        lit = _literal(code)
        val = f"({lo + hi!r}::float8 - a.value)" if code in reverse else "a.value"
        pivots.append(f"max(CASE WHEN a.item = {lit} THEN {val} END) AS x{i}")
    aggs = [
        "count(*) FILTER (WHERE " + " OR ".join(f"x{i} IS NOT NULL" for i in range(k)) + ") AS n"
    ]
    for i in range(k):
        for j in range(i, k):
            both = f"x{i} IS NOT NULL AND x{j} IS NOT NULL"
            aggs.append(f"count(*) FILTER (WHERE {both}) AS n_{i}_{j}")
            aggs.append(f"sum(x{i}) FILTER (WHERE {both}) AS si_{i}_{j}")
            aggs.append(f"sum(x{j}) FILTER (WHERE {both}) AS sj_{i}_{j}")
            aggs.append(f"sum(x{i} * x{j}) AS p_{i}_{j}")
    for i in range(k):
        aggs.append(f"coalesce(max(x{i}) > min(x{i}), false) AS v_{i}")
    return (
        f"WITH wide AS (SELECT r.instansi, r.activity, r.token, {', '.join(pivots)} "
        f"FROM {_q('responses')} r LEFT JOIN {_q('answers')} a "
        "ON a.instansi = r.instansi AND a.token = r.token AND a.item = ANY(%(codes)s) "
        "WHERE r.instrument = %(instrument)s AND r.activity IS NOT NULL "
        "GROUP BY r.instansi, r.activity, r.token) "
        f"SELECT activity, {', '.join(aggs)} FROM wide GROUP BY instansi, activity"
    )


def _reaction_items(
    glob: Mapping[str, pd.DataFrame],
) -> list[tuple[str, list[str], set[str], float, float]]:
    """Per reaction instrument: its Likert item codes, the reverse-keyed ones, the scale range."""
    instruments = glob["instruments"]
    names = sorted(
        str(c) for c, kind in zip(instruments["code"], instruments["kind"], strict=True)
        if str(kind) in REACTION_KINDS
    )  # fmt: skip
    items = glob["items"]
    scales = glob["scales"].set_index(glob["scales"]["name"].astype(str))
    out = []
    for inst in names:
        lik = items[(items["instrument"].astype(str) == inst) & (items["item_type"] == "likert")]
        codes = list(dict.fromkeys(str(c) for c in lik["code"]))
        if len(codes) < 2:
            continue
        rev = {str(c) for c, r in zip(lik["code"], lik["is_reverse"], strict=True) if bool(r)}
        sc = list(lik["scale"].astype(str))
        lo = float(scales.loc[sc, "min_value"].min())
        hi = float(scales.loc[sc, "max_value"].max())
        out.append((inst, codes, rev, lo, hi))
    return out


def _alpha_from_frame(sums: pd.DataFrame, k: int, confidence: float) -> dict[str, Any]:
    g = len(sums)
    n_ij, s_i, s_j, p_ij = (np.zeros((g, k, k)) for _ in range(4))
    for i in range(k):
        for j in range(i, k):
            nij = sums[f"n_{i}_{j}"].to_numpy(dtype=np.float64)
            si = sums[f"si_{i}_{j}"].to_numpy(dtype=np.float64, na_value=0.0)
            sj = sums[f"sj_{i}_{j}"].to_numpy(dtype=np.float64, na_value=0.0)
            pij = sums[f"p_{i}_{j}"].to_numpy(dtype=np.float64, na_value=0.0)
            n_ij[:, i, j] = n_ij[:, j, i] = nij
            s_i[:, i, j] = s_j[:, j, i] = si
            s_j[:, i, j] = s_i[:, j, i] = sj
            p_ij[:, i, j] = p_ij[:, j, i] = pij
    varies = np.column_stack([sums[f"v_{i}"].to_numpy(dtype=bool) for i in range(k)])
    res = alpha_from_sums(
        n_ij, s_i, s_j, p_ij, sums["n"].to_numpy(dtype=np.float64), varies, confidence=confidence
    )
    return alpha_columns(res)


#: L2 in SQL: the points earned per test response (only correct answers joined, one
#: partition-local aggregate per token), the score, the latest pre and post per
#: activity and person, and per activity n, Σd, Σd², Σpre, Σpost of complete pairs.
L2_SQL = f"""
WITH keyed AS (
  SELECT instrument, version, code, answer_key, coalesce(points, 1.0) AS points
  FROM {_q("items")} WHERE answer_key IS NOT NULL AND answer_key <> ''
), total AS (
  SELECT instrument, version, sum(points) AS total FROM keyed GROUP BY instrument, version
), earned AS (
  SELECT r.instansi, r.token, sum(k.points) AS earned
  FROM {_q("responses")} r
  JOIN {_q("answers")} a ON a.instansi = r.instansi AND a.token = r.token
  JOIN keyed k ON k.instrument = r.instrument AND k.version = r.version AND k.code = a.item
              AND k.answer_key = a.option
  WHERE r.occasion IN (%(pre)s, %(post)s) AND r.activity IS NOT NULL
  GROUP BY r.instansi, r.token
), latest AS (
  SELECT DISTINCT ON (r.instansi, r.activity, i.nip, r.occasion)
         r.instansi, r.activity, i.nip, r.occasion,
         100.0 * coalesce(e.earned, 0) / t.total AS score
  FROM {_q("responses")} r
  JOIN total t ON t.instrument = r.instrument AND t.version = r.version
  JOIN {_q("response_identities")} i ON i.instansi = r.instansi AND i.token = r.token
  LEFT JOIN earned e ON e.instansi = r.instansi AND e.token = r.token
  WHERE r.occasion IN (%(pre)s, %(post)s) AND r.activity IS NOT NULL AND i.nip IS NOT NULL
  ORDER BY r.instansi, r.activity, i.nip, r.occasion, r.submitted_at DESC, r.token DESC
), pairs AS (
  SELECT instansi, activity, nip,
         max(score) FILTER (WHERE occasion = %(pre)s) AS pre,
         max(score) FILTER (WHERE occasion = %(post)s) AS post
  FROM latest GROUP BY instansi, activity, nip
)
SELECT activity,
       count(*) FILTER (WHERE pre IS NOT NULL AND post IS NOT NULL) AS n,
       coalesce(sum(post - pre), 0) AS s1,
       coalesce(sum((post - pre) * (post - pre)), 0) AS s2,
       coalesce(sum(pre) FILTER (WHERE post IS NOT NULL), 0) AS sum_pre,
       coalesce(sum(post) FILTER (WHERE pre IS NOT NULL), 0) AS sum_post
FROM pairs GROUP BY instansi, activity
"""

JP_SQL = f"""
SELECT e.nip, e.status,
       coalesce(sum(coalesce(l.jp, 0)), 0) AS jp_sum,
       coalesce(sum(CASE WHEN l.jp IS NULL THEN coalesce(l.minutes, 0) ELSE 0 END), 0) AS min_sum
FROM {_q("employees")} e
LEFT JOIN {_q("jp_ledger")} l
  ON l.instansi = e.instansi AND l.nip = e.nip AND l.year = %(year)s
  AND l.approval_status = 'approved'
GROUP BY e.instansi, e.nip, e.status
"""


def pushdown(conn: Any, rule: JpRule, *, confidence: float = 0.95) -> Figures:
    """(a) The sufficient statistics by ``GROUP BY`` in PostgreSQL, finished in Python."""
    seconds: dict[str, float] = {}
    rows_out: dict[str, int] = {}
    with conn.cursor() as cur:
        session_settings(cur)
        t = time.perf_counter()
        glob = _read_global(cur)
        frames = []
        for inst, codes, rev, lo, hi in _reaction_items(glob):
            sums = _fetch_frame(
                cur, _l1_sql(codes, rev, lo, hi), {"codes": codes, "instrument": inst}
            )
            figs = _alpha_from_frame(sums, len(codes), confidence)
            frames.append(pd.DataFrame({"activity": sums["activity"], "instrument": inst, **figs}))
        alpha = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        seconds["L1 reliability"] = time.perf_counter() - t
        rows_out["L1 reliability"] = len(alpha)
        t = time.perf_counter()
        sums2 = _fetch_frame(cur, L2_SQL, {"pre": "pre", "post": "post"})
        n = sums2["n"].to_numpy(dtype=np.float64)
        res = paired_from_sums(
            n,
            sums2["s1"].to_numpy(dtype=np.float64),
            sums2["s2"].to_numpy(dtype=np.float64),
            np.zeros(n.size),
            sums2["sum_pre"].to_numpy(dtype=np.float64),
            sums2["sum_post"].to_numpy(dtype=np.float64),
            confidence=confidence,
        )
        change = pd.DataFrame(
            {"activity": sums2["activity"], **{f: getattr(res, f) for f in _L2_COLS}}
        )
        seconds["L2 pre/post"] = time.perf_counter() - t
        rows_out["L2 pre/post"] = len(change)
        t = time.perf_counter()
        cur.execute(JP_SQL, {"year": rule.year})
        got = cur.fetchall()
        nip = np.array([r[0] for r in got], dtype=object)
        status = np.array([r[1] for r in got], dtype=object)
        jp_sum = np.array([r[2] for r in got], dtype=np.float64)
        min_sum = np.array([r[3] for r in got], dtype=np.float64)
        jp = jp_from_sums(
            status == "PNS",
            jp_sum,
            min_sum,
            floor_jp=rule.floor_jp,
            ceiling_jp=rule.ceiling_jp,
            minutes_per_jp=rule.minutes_per_jp,
        )
        jp.insert(0, "nip", nip)
        seconds["indices (JP per ASN)"] = time.perf_counter() - t
        rows_out["indices (JP per ASN)"] = len(jp)
    return Figures(alpha, change, jp, seconds, rows_out)


_L2_COLS = ("n", "mean_pre", "mean_post", "mean_diff", "sd_diff", "t", "df", "p_value",
            "ci_low", "ci_high", "d_z", "ok")  # fmt: skip


# --------------------------------------------------------------------------- (b) rows


def _copy_out(
    cur: Any, name: str, cols: Sequence[str], where: str, order: str = ""
) -> pd.DataFrame:
    """``COPY (SELECT cols FROM table WHERE …) TO STDOUT (FORMAT csv)`` read by Arrow."""
    types = dict(TABLES[name])
    buf = io.BytesIO()
    stmt = (
        f"COPY (SELECT {', '.join(cols)} FROM {_q(name)} WHERE {where} {order}) "
        "TO STDOUT (FORMAT csv)"
    )
    with cur.copy(stmt) as copy:
        for data in copy:
            buf.write(data)
    arrow: dict[str, pa.DataType] = {}
    for c in cols:
        sql = types[c]
        if c in CATEGORICAL:
            arrow[c] = pa.dictionary(pa.int32(), pa.string())
        elif sql == "bigint" or sql == "integer":
            arrow[c] = pa.int64()
        elif sql == "double precision":
            arrow[c] = pa.float64()
        elif sql == "timestamp":
            arrow[c] = pa.timestamp("ms")
        else:
            arrow[c] = pa.string()
    buf.seek(0)
    table = pacsv.read_csv(
        buf,
        read_options=pacsv.ReadOptions(column_names=list(cols)),
        convert_options=pacsv.ConvertOptions(
            column_types=arrow, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    frame: pd.DataFrame = table.to_pandas()
    return frame


def move_rows(conn: Any, chunks: Mapping[int, Sequence[str]], rule: JpRule, *,
              confidence: float = 0.95) -> Figures:  # fmt: skip
    """(b) The rows out of PostgreSQL, one group of partitions at a time, then the fast path."""
    seconds = {"rows out": 0.0, "L1 reliability": 0.0, "L2 pre/post": 0.0,
               "indices (JP per ASN)": 0.0}  # fmt: skip
    rows_out: dict[str, int] = {}
    alphas, changes, jps = [], [], []
    with conn.cursor() as cur:
        session_settings(cur)
        t = time.perf_counter()
        glob = _read_global(cur)
        seconds["rows out"] += time.perf_counter() - t
        for key in sorted(chunks):
            codes = list(chunks[key])
            lit = ", ".join(_literal(c) for c in codes)
            where = f"instansi IN ({lit})"
            t = time.perf_counter()
            frames: dict[str, pd.DataFrame] = dict(glob)
            frames["responses"] = _copy_out(
                cur, "responses",
                ["token", "instrument", "version", "activity", "submitted_at", "occasion"],
                where, "ORDER BY token",
            )  # fmt: skip
            frames["answers"] = _copy_out(
                cur, "answers", ["token", "item", "value", "option"], where
            )
            frames["response_identities"] = _copy_out(
                cur, "response_identities", ["token", "nip"], where
            )
            frames["employees"] = _copy_out(cur, "employees", ["nip", "status"], where)
            frames["jp_ledger"] = _copy_out(
                cur, "jp_ledger", ["nip", "year", "jp", "minutes", "approval_status"], where
            )
            seconds["rows out"] += time.perf_counter() - t
            for name in TABLES:
                rows_out[name] = rows_out.get(name, 0) + len(frames[name])
            t = time.perf_counter()
            alphas.append(reaction_alpha(frames, confidence=confidence))
            seconds["L1 reliability"] += time.perf_counter() - t
            t = time.perf_counter()
            changes.append(learning_change(pre_post_pairs(frames), confidence=confidence))
            seconds["L2 pre/post"] += time.perf_counter() - t
            t = time.perf_counter()
            jps.append(
                jp_per_asn(
                    frames["employees"],
                    frames["jp_ledger"],
                    year=rule.year,
                    floor_jp=rule.floor_jp,
                    ceiling_jp=rule.ceiling_jp,
                    minutes_per_jp=rule.minutes_per_jp,
                )
            )
            seconds["indices (JP per ASN)"] += time.perf_counter() - t
    return Figures(
        pd.concat(alphas, ignore_index=True),
        pd.concat(changes, ignore_index=True),
        pd.concat(jps, ignore_index=True),
        seconds,
        rows_out,
    )


# --------------------------------------------------------------------------- compare

L1_FIGURES = ("n", "alpha", "alpha_standardized", "ci_low", "ci_high")
L2_FIGURES = ("n", "mean_pre", "mean_post", "mean_diff", "sd_diff", "t", "p_value", "ci_low",
              "ci_high", "d_z")  # fmt: skip


def _max_diff(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], figures: Sequence[str]) -> float:
    """Largest |a − b| over the figures, matched on ``keys``; ∞ if the rows or NaNs differ."""
    left = a.assign(**{k: a[k].astype(str) for k in keys}).set_index(keys)
    right = b.assign(**{k: b[k].astype(str) for k in keys}).set_index(keys)
    if len(left) != len(right) or not left.index.sort_values().equals(right.index.sort_values()):
        return float("inf")
    right = right.loc[left.index]
    worst = 0.0
    for f in figures:
        x = left[f].to_numpy(dtype=np.float64)
        y = right[f].to_numpy(dtype=np.float64)
        if not np.array_equal(np.isnan(x), np.isnan(y)):
            return float("inf")
        both = ~np.isnan(x)
        if both.any():
            worst = max(worst, float(np.max(np.abs(x[both] - y[both]))))
    return worst


def max_abs_diff(
    a: Figures | Mapping[str, pd.DataFrame], b: Figures | Mapping[str, pd.DataFrame]
) -> dict[str, float]:
    """Per level, the largest absolute difference between two ways' figures (∞: rows differ)."""

    def get(x: Figures | Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
        return getattr(x, name) if isinstance(x, Figures) else x[name]

    return {
        "L1 reliability": _max_diff(
            get(a, "alpha"), get(b, "alpha"), ["activity", "instrument"], L1_FIGURES
        ),
        "L2 pre/post": _max_diff(get(a, "change"), get(b, "change"), ["activity"], L2_FIGURES),
        "indices (JP per ASN)": _max_diff(get(a, "jp"), get(b, "jp"), ["nip"], ("jp", "compliant")),
    }


def explain_l1(conn: Any) -> bool:
    """Whether the planner aggregates the L1 query partition by partition (EXPLAIN, not run)."""
    with conn.cursor() as cur:
        session_settings(cur)
        glob = _read_global(cur)
        found = _reaction_items(glob)
        if not found:
            return False
        inst, codes, rev, lo, hi = found[0]
        cur.execute("EXPLAIN " + _l1_sql(codes, rev, lo, hi), {"codes": codes, "instrument": inst})
        plan = "\n".join(str(r[0]) for r in cur.fetchall())
    # a partition-wise aggregate shows as an Append over one aggregate per partition
    return plan.count("Aggregate") > 2 and "Append" in plan
