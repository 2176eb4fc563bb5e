"""IP ASN and the talent 9-box for every ASN at once, vectorised over whole columns.

* :func:`ip_asn_per_asn` — the four dimensions, the total and the band of
  :func:`mutu.indices.ip_asn.ip_asn` (``missing="exclude"``) per employee, on a
  date, from ``employees`` (``education_level``, ``position`` with
  ``positions.kind``, or ``position_kind``), the completed ``enrollments`` in
  ``activities`` (``form``, ``jp``, ``end_date``: the trainings of
  :func:`mutu.indices.frames.training_history`, relevance not recorded),
  ``performance_records`` and ``discipline_records``.
* :func:`talent_per_asn` — the kinerja and potensial levels, the box, the
  track record and the pools of :func:`mutu.indices.talent.talent_box` per
  employee, from ``performance_records``, ``potential`` (``nip``, ``score``,
  ``cohort``, or ``level``) and ``discipline_records``.

Every weight, point, look-back, band, grid and threshold is read from the
``ip_asn`` and ``nine_box`` rulebooks in force, as the per-person functions
read them; categories (forms, predikat, sanction levels, education) are
resolved once per distinct value, then gathered by integer codes. NIPs are
matched with Arrow's hash kernel. No Python loop runs per person.

Inputs are trusted to be valid (a repeated NIP, an unknown form code or an
out-of-range score are refused by the per-person functions, which the bench
and the tests run on samples); an unknown predikat or sanction level is
refused here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError
from mutu.evaluation.fast.evaluate import codes_in, index_in

__all__ = ["IP_DIMENSIONS", "ip_asn_per_asn", "talent_per_asn"]

#: The IP ASN's dimensions in the regulation's order (as :data:`mutu.indices.ip_asn.DIMENSIONS`).
IP_DIMENSIONS = ("kualifikasi", "kompetensi", "kinerja", "disiplin")


def _codes(series: pd.Series) -> tuple[NDArray[np.int64], list[str]]:
    """Integer codes of ``series`` (-1: empty) and its distinct values as text."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        names = [str(c) for c in series.cat.categories]
        return series.cat.codes.to_numpy().astype(np.int64), names
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _per_value(series: pd.Series, fn: Callable[[str], Any]) -> tuple[NDArray[np.int64], list[Any]]:
    """Codes of ``series`` into the list of ``fn(value)`` over its distinct values (-1: empty)."""
    codes, names = _codes(series)
    return codes, [fn(v) for v in names]


def _gather(codes: NDArray[np.int64], table: list[Any], missing: Any, dtype: Any) -> NDArray[Any]:
    values = np.array([*table, missing], dtype=dtype)
    return values[np.where(codes >= 0, codes, len(table))]


def _days(series: pd.Series) -> NDArray[np.int64]:
    """Dates as int64 milliseconds since the epoch (NaT: the int64 minimum)."""
    return np.asarray(series.to_numpy(dtype="datetime64[ms]").view(np.int64))


def _ms(day: date | pd.Timestamp) -> int:
    return int((pd.Timestamp(day) - pd.Timestamp(0)) // pd.Timedelta(milliseconds=1))


def _book(name: str, on: date) -> Any:
    from mutu.indices._common import pick_rulebook

    return pick_rulebook(name, None, on, None)


def _num(book: Any, key: str) -> float:
    return float(book.decimal(key))


def _person(frame: pd.DataFrame, employees: pd.DataFrame) -> NDArray[np.int64]:
    return index_in(frame["nip"], employees["nip"])


def _refuse_unknown(name: str, column: str, bad: list[str], known: list[str]) -> None:
    if bad:
        raise MutuValueError(
            f"{name}: {column} tidak dikenal: {', '.join(bad)} (dikenal: {', '.join(known)}).",
            f"{name}: unknown {column}: {', '.join(bad)} (known: {', '.join(known)}).",
            field=name,
        )


def _predikat_key(value: str) -> str:
    return value.lower().replace(" ", "_")


def ip_asn_per_asn(
    frames: Mapping[str, pd.DataFrame], *, on: date, performance_year: int | None = None
) -> pd.DataFrame:
    r"""IP ASN of every employee on ``on``, as :func:`mutu.indices.ip_asn.ip_asn` (``exclude``).

    One row per employee, in their order: ``nip``, ``kualifikasi``,
    ``kompetensi``, ``kinerja``, ``disiplin``, ``total`` (NaN when an input is
    missing), ``band`` (code, empty without a total) and ``complete``.

    Notes
    -----
    :math:`\mathrm{IP} = K_{ual} + K_{om} + K_{in} + D`, each capped at
    ``weights.<dimension>``. Kualifikasi ``kualifikasi.<education>``;
    kompetensi: per path (``pelaksana`` or ``struktural_fungsional``), each
    item of ``kompetensi.<path>`` once when a completed activity of one of its
    forms (``kompetensi.forms.<item>``, else Mutu's fallback) ended in
    :math:`(on - L, on]` (``lookback_years.<form>``, else ``.<item>``, else
    unbounded) — technical training only from
    ``kompetensi.pelatihan_teknis_min_jp`` JP; kinerja
    ``kinerja.predikat_points`` of the SKP of ``performance_year`` (default
    the year before ``on``; with only a score, its ``kinerja.categories``
    category's ``kinerja.points``); disiplin ``disiplin.points`` of the
    heaviest sanction decided on or before ``on`` (else the first of
    ``disiplin.levels``). Band: the highest ``bands.min`` not above the total.
    """
    from mutu.domain.development_forms import get_form
    from mutu.domain.golongan import parse_education
    from mutu.indices._ip_asn_inputs import FALLBACK_FORMS, PATH_OF_KIND

    book = _book("ip_asn", on)
    year = on.year - 1 if performance_year is None else int(performance_year)
    emp = frames["employees"]
    n = len(emp)
    cap = {d: _num(book, f"weights.{d}") for d in IP_DIMENSIONS}

    # -- kualifikasi: education level → points, per distinct value
    def edu_points(text: str) -> float:
        return _num(book, f"kualifikasi.{parse_education(text).value}")

    if "education_level" in emp.columns:
        codes, table = _per_value(emp["education_level"], edu_points)
        kual = np.minimum(_gather(codes, table, np.nan, np.float64), cap["kualifikasi"])
    else:
        kual = np.full(n, np.nan)

    # -- path from the position kind
    paths = sorted(set(PATH_OF_KIND.values()))
    path_of = {k: paths.index(v) for k, v in PATH_OF_KIND.items()}
    if "position_kind" in emp.columns:
        codes, table = _per_value(emp["position_kind"], lambda k: path_of.get(k.lower(), -1))
        path = _gather(codes, table, -1, np.int64)
    elif "position" in emp.columns and "positions" in frames:
        pos = frames["positions"]
        kinds = pos["kind"].astype(object).to_numpy()
        pos_path = [path_of.get(str(k).lower(), -1) for k in kinds]
        where = codes_in(emp["position"], list(pos["code"].astype(str)))
        path = _gather(where, pos_path, -1, np.int64)
    else:
        path = np.full(n, -1, dtype=np.int64)

    # -- kompetensi
    item_pts = {
        p: {i: _num(book, f"kompetensi.{p}.{i}") for i in sorted(book.section(f"kompetensi.{p}"))}
        for p in paths
    }
    items = sorted({i for pts in item_pts.values() for i in pts})
    pts = np.array([[item_pts[p].get(i, 0.0) for i in items] for p in paths], dtype=np.float64)
    has_training = "enrollments" in frames and "activities" in frames
    if has_training:
        form_item: dict[str, int] = {}
        for j, item in enumerate(items):
            key = f"kompetensi.forms.{item}"
            forms = (
                [str(c) for c in book.sequence(key)]
                if key in book
                else FALLBACK_FORMS.get(item, ())
            )
            for code in forms:
                form_item[get_form(code).code] = j

        def lookback(form: str, item: int) -> float:
            for key in (f"lookback_years.{form}", f"lookback_years.{items[item]}"):
                if key in book:
                    return _num(book, key)
            return np.nan

        acts = frames["activities"]
        fcodes, fnames = _codes(acts["form"])
        fnames = [get_form(f).code for f in fnames]  # an unknown code is refused here
        fitems = [form_item.get(f, -1) for f in fnames]
        act_item = _gather(fcodes, fitems, -1, np.int64)
        end = _days(acts["end_date"])
        on_ms = _ms(on)
        cutoff = np.full(len(acts), np.iinfo(np.int64).min)
        for f, (form, item) in enumerate(zip(fnames, fitems, strict=True)):
            years = lookback(form, item) if item >= 0 else np.nan
            if not np.isnan(years):
                start = pd.Timestamp(on) - pd.DateOffset(months=round(12 * years))
                cutoff[fcodes == f] = _ms(start)
        jp = np.round(acts["jp"].to_numpy(dtype=np.float64, na_value=np.nan), 6)
        teknis = items.index("pelatihan_teknis") if "pelatihan_teknis" in items else -1
        min_jp = _num(book, "kompetensi.pelatihan_teknis_min_jp") if teknis >= 0 else np.inf
        ok_act = (act_item >= 0) & (end <= on_ms) & (end > cutoff)
        ok_act &= (act_item != teknis) | (jp >= min_jp)  # relevance not recorded: others count
        enr = frames["enrollments"]
        done = codes_in(enr["status"], ["completed"]) == 0
        e_act = codes_in(enr["activity"], list(acts["code"].astype(str)))
        e_ok = done & (e_act >= 0)
        e_ok[e_ok] = ok_act[e_act[e_ok]]
        who = index_in(enr["nip"][e_ok], emp["nip"]) if e_ok.any() else np.zeros(0, np.int64)
        e_item = act_item[e_act[e_ok]]
        earned = np.zeros((n, len(items)), dtype=bool)
        keep = who >= 0
        earned[who[keep], e_item[keep]] = True
        total = np.zeros(n)
        row_pts = pts[np.maximum(path, 0)]
        for j in range(len(items)):  # a handful of items, as ip_asn adds them
            total = total + earned[:, j].astype(np.float64) * row_pts[:, j]
        komp = np.where(path >= 0, np.minimum(total, cap["kompetensi"]), np.nan)
    else:
        komp = np.full(n, np.nan)

    # -- kinerja
    if "performance_records" in frames:
        perf = frames["performance_records"]
        rows = np.flatnonzero(perf["year"].to_numpy(dtype=np.float64) == year)
        sub = perf.iloc[rows]
        known = sorted(book.section("kinerja.predikat_points"))
        codes, table = _per_value(sub["predikat"], _predikat_key)
        bad = sorted({t for t in table if t not in known})
        _refuse_unknown("performance", "predikat", bad, known)
        points = [_num(book, f"kinerja.predikat_points.{t}") for t in table]
        row_points = _gather(codes, points, np.nan, np.float64)
        if "score" in sub.columns and np.isnan(row_points).any():
            score = sub["score"].to_numpy(dtype=np.float64, na_value=np.nan)
            cats = sorted(book.records("kinerja.categories"), key=lambda r: -float(str(r["min"])))
            by_cat = np.full(score.size, np.nan)
            for rec in reversed(cats):  # lowest first; a higher min overwrites
                hit = ~np.isnan(score) & (score >= float(str(rec["min"])))
                by_cat[hit] = _num(book, f"kinerja.points.{rec['code']}")
            row_points = np.where(np.isnan(row_points), by_cat, row_points)
        kin = np.full(n, np.nan)
        who = _person(sub, emp)
        kin[who[who >= 0]] = row_points[who >= 0]
        kin = np.minimum(kin, cap["kinerja"])
    else:
        kin = np.full(n, np.nan)

    # -- disiplin
    levels = [str(v) for v in book.sequence("disiplin.levels")]
    if "discipline_records" in frames:
        disc = frames["discipline_records"]
        codes, table = _per_value(disc["level"], str.lower)
        bad = sorted({t for t in table if t not in levels[1:]})
        _refuse_unknown("discipline", "level", bad, levels[1:])
        rank = _gather(codes, [levels.index(t) for t in table], 0, np.int64)
        decided = _days(disc["decided_on"])
        window = decided <= _ms(on)
        if "lookback_years.disiplin" in book:
            years = int(_num(book, "lookback_years.disiplin"))
            window &= decided > _ms(pd.Timestamp(on) - pd.DateOffset(years=years))
        heaviest = np.zeros(n, dtype=np.int64)
        who = _person(disc, emp)
        take = window & (who >= 0)
        np.maximum.at(heaviest, who[take], rank[take])
        lvl_pts = np.array([_num(book, f"disiplin.points.{lv}") for lv in levels])
        dis = np.minimum(lvl_pts[heaviest], cap["disiplin"])
    else:
        dis = np.full(n, np.nan)

    complete = ~np.isnan(kual) & (path >= 0) & has_training & ~np.isnan(kin) & ~np.isnan(dis)
    total_ip = np.where(complete, kual + komp + kin + dis, np.nan)
    records = sorted(book.records("bands"), key=lambda r: float(str(r["min"])))
    names = [str(r["code"]) for r in records]
    mins = np.array([float(str(r["min"])) for r in records])
    idx = np.searchsorted(mins, total_ip, side="right") - 1  # highest min not above
    band_code = np.where(np.isnan(total_ip) | (idx < 0), -1, idx)
    return pd.DataFrame(
        {
            "nip": emp["nip"].to_numpy(),
            "kualifikasi": kual,
            "kompetensi": komp,
            "kinerja": kin,
            "disiplin": dis,
            "total": total_ip,
            "band": pd.Categorical.from_codes(
                band_code.astype(np.int64), categories=pd.Index(names)
            ),
            "complete": complete,
        }
    )


def _group_quantile(
    cohort: NDArray[np.int64], score: NDArray[np.float64], n_groups: int, q: float
) -> NDArray[np.float64]:
    """Linear-interpolation quantile of ``score`` per cohort (NaN ignored), as pandas computes it.

    Sorted values ``x`` of a cohort with ``m`` answers: ``h = q (m − 1)``,
    ``i = ⌊h⌋``, ``f = h mod 1``; the quantile is ``x[i]`` when ``f = 0``,
    else ``x[i] + (x[i+1] − x[i]) f`` (pandas' ``groupby(...).quantile``).
    """
    ok = ~np.isnan(score)
    c, s = cohort[ok], score[ok]
    order = np.lexsort((s, c))
    c, s = c[order], s[order]
    m = np.bincount(c, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(m)[:-1]])
    out = np.full(n_groups, np.nan)
    has = m > 0
    h = q * (m[has] - 1).astype(np.float64)
    i = h.astype(np.int64)
    f = h % 1.0
    lo = s[start[has] + i]
    hi = s[np.minimum(start[has] + i + 1, start[has] + m[has] - 1)]
    out[has] = np.where(f == 0.0, lo, lo + (hi - lo) * f)
    return out


def talent_per_asn(frames: Mapping[str, pd.DataFrame], *, year: int) -> pd.DataFrame:
    """The 9-box of every employee, as :func:`mutu.indices.talent.talent_box` with ``employees``.

    One row per employee, in their order: ``nip``, ``kinerja_level``,
    ``potensial_level`` (1–3, NaN when missing), ``box`` (1–9, 0 when
    either level is missing), ``track_record_ok``, ``succession_pool``,
    ``national_pool``. Kinerja level: the lowest
    ``thresholds.kinerja_from_predikat`` level over the SKP years
    ``year − lookback_years + 1 … year``; potensial: ``level``, or the
    tertile of ``score`` within its ``cohort`` (above the upper third 3,
    above the lower 2; ``thresholds.potensial_method`` must be
    ``tertiles``); box ``grid[3 − kinerja][potensial − 1]``; track record
    fails on a ``failing_sanction_levels`` sanction decided within the
    look-back years; pools are ``succession_pool_boxes`` /
    ``national_pool_boxes`` with a clean record.
    """
    book = _book("nine_box", date(year, 12, 31))
    span = int(book.integer("lookback_years"))
    by_pred = {
        str(k): int(str(v)) for k, v in book.table("thresholds.kinerja_from_predikat").items()
    }
    emp = frames["employees"]
    n = len(emp)

    perf = frames["performance_records"]
    yrs = perf["year"].to_numpy(dtype=np.float64)
    rows = np.flatnonzero((yrs > year - span) & (yrs <= year))
    sub = perf.iloc[rows]
    codes, table = _per_value(sub["predikat"], _predikat_key)
    bad = sorted({t for t in table if t not in by_pred})
    if (codes < 0).any():
        bad.append("(kosong/empty)")
    _refuse_unknown("performance", "predikat", bad, list(by_pred))
    level = _gather(codes, [by_pred[t] for t in table], 0, np.int64)
    kin = np.full(n, 99, dtype=np.int64)
    who = _person(sub, emp)
    np.minimum.at(kin, who[who >= 0], level[who >= 0])
    kinerja = np.where(kin == 99, np.nan, kin.astype(np.float64))

    pot = frames["potential"]
    pot_level: NDArray[np.float64]
    if "level" in pot.columns:
        pot_level = pot["level"].to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        method = book.text("thresholds.potensial_method")
        if method != "tertiles":
            raise MutuValueError(
                f"Metode potensial '{method}' belum didukung (tertiles).",
                f"Potential method '{method}' is not supported (tertiles).",
                field="potential",
            )
        score = pot["score"].to_numpy(dtype=np.float64, na_value=np.nan)
        cohort_col = (
            pot["cohort"].astype(object).where(pot["cohort"].notna(), "")
            if "cohort" in pot.columns
            else pd.Series("", index=pot.index)
        )
        cohort, names = pd.factorize(cohort_col)
        q1 = _group_quantile(cohort, score, len(names), 1 / 3)[cohort]
        q2 = _group_quantile(cohort, score, len(names), 2 / 3)[cohort]
        tertile = 1.0 + (score > q1) + (score > q2)
        pot_level = np.where(np.isnan(score), np.nan, tertile).astype(np.float64)
    potensial = np.full(n, np.nan)
    who = _person(pot, emp)
    potensial[who[who >= 0]] = pot_level[who >= 0]

    grid = np.array([[int(str(v)) for v in row] for row in book.sequence("grid")], dtype=np.int64)
    both = ~np.isnan(kinerja) & ~np.isnan(potensial)
    k = np.where(both, kinerja, 1).astype(np.int64)
    p = np.where(both, potensial, 1).astype(np.int64)
    box = np.where(both, grid[3 - k, p - 1], 0)

    ok = np.ones(n, dtype=bool)
    if "discipline_records" in frames:
        disc = frames["discipline_records"]
        failing = [str(v) for v in book.sequence("failing_sanction_levels")]
        codes, table = _per_value(disc["level"], str.lower)
        fail = _gather(codes, [t in failing for t in table], False, bool)
        decided = _days(disc["decided_on"])
        hit = fail & (decided >= _ms(date(year - span + 1, 1, 1)))
        hit &= decided <= _ms(date(year, 12, 31))
        who = _person(disc, emp)
        ok[who[hit & (who >= 0)]] = False
    succession = np.isin(box, [int(str(v)) for v in book.sequence("succession_pool_boxes")])
    national = np.isin(box, [int(str(v)) for v in book.sequence("national_pool_boxes")])
    return pd.DataFrame(
        {
            "nip": emp["nip"].to_numpy(),
            "kinerja_level": kinerja,
            "potensial_level": potensial,
            "box": box,
            "track_record_ok": ok,
            "succession_pool": succession & ok,
            "national_pool": national & ok,
        }
    )
