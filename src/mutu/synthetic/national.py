"""A national-scale synthetic world, generated in chunks straight to partitioned Parquet.

The regency generator (:func:`mutu.synthetic.generate_world`) builds every
frame of the contract in memory and accepts 1,500–20,000 ASN. This module
makes the frames a whole-country evaluation needs — about 5.2 million ASN in
about 550 instansi for ``scale="nasional"`` — in bounded memory: instansi are
grouped into chunks of at most :data:`CHUNK_ASN` ASN, each chunk is drawn
from its own :class:`numpy.random.Generator` seeded with ``(seed, chunk)``
and written at once to ``<out>/<frame>/part-<chunk>.parquet``; nothing of a
chunk is kept after it is written. The same seed gives the same files.

Frames written (column names as in ``docs/frames.md``; only the columns the
evaluation reads, see :data:`NATIONAL_COLUMNS`):

* ``instansi`` (derived, not in the contract: ``code``, ``name``, ``kind``,
  ``n_asn``, ``chunk``), ``scales``, ``instruments``, ``items`` — once, in
  ``part-global.parquet``;
* ``positions`` — once (one generic position per ``people.PositionKind``,
  code ``JAB-<KIND>``), for ``employees.position``;
* per chunk: ``employees``, ``activities``, ``enrollments``, ``responses``,
  ``response_identities``, ``answers``, ``jp_ledger``, ``budget_lines``,
  ``expenditures``, ``performance_records`` (SKP of 2024 and 2025),
  ``discipline_records``, ``ikm_panel`` (derived, not in the contract: IKM
  per service unit and year with the year the unit adopted the
  service-quality program, for the staggered DiD) and ``potential`` (derived,
  not in the contract: the potential-assessment score of the assessed ASN
  with their ``cohort``, the instansi, for the talent 9-box).

Differences from the contract's dtypes, on purpose, to keep 130 million answer
rows small: ``responses.token`` / ``answers.token`` /
``response_identities.token`` are 64-bit integer response ids (unique in the
world and consecutive within a chunk) instead of 32 hex digits; repeated text
columns (item codes, options, statuses, instrument codes) are Arrow
dictionary columns. NIPs are 18-digit identifiers ``10^17 + i``: unique, but
not built by the NIP rules (birth date, TMT, sex) the regency world follows.

Everything is invented: the sizes are orders of magnitude of Indonesia's civil
service (BKN publishes about 4.3 million PNS and a growing number of PPPK;
``nasional`` uses 5.2 million in total), not statistics of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from mutu.domain.errors import MutuValueError

__all__ = [
    "CHUNK_ASN",
    "NATIONAL_COLUMNS",
    "NATIONAL_SCALES",
    "NationalPlan",
    "generate_national",
    "plan_national",
]

#: Named national scales: headcount and number of instansi.
NATIONAL_SCALES: dict[str, tuple[int, int]] = {"nasional": (5_200_000, 550)}
#: Largest number of ASN generated (and held in memory) at once.
CHUNK_ASN = 250_000
#: Average number of ASN per instansi for an explicit headcount.
ASN_PER_INSTANSI = 9_500
YEAR = 2025
#: Mean enrollments per ASN in the year (5.2 million ASN → about 13 million).
ENROLLMENTS_PER_ASN = 2.5
CLASS_SIZE = 30
SHARE_TESTED = 0.35  # activities with a pre/post test
REACTION_ITEMS = ("R1", "R2", "R3", "R4", "R5", "R6")  # R4 reverse-keyed
REVERSED = "R4"
TEST_ITEMS = tuple(f"Q{i:02d}" for i in range(1, 11))
OPTIONS = ("A", "B", "C", "D")
ANSWER_KEY = ("D", "B", "A", "C", "A", "D", "B", "C", "A", "B")
P_MISSING = 0.02
#: L3: activities whose participants their supervisors rate before and after (PENILAIAN-ATASAN).
SHARE_RATED = 0.15
RATING_INSTRUMENT = "PENILAIAN-ATASAN"
RATING_DIMENSION = "kualitas_rencana_kerja"
RATING_ITEMS = ("K1", "K2", "K3", "K4")
#: Supervisors who submit a given rating (the rest leave it missing).
P_RATED = 0.97
#: L5: cost types of an activity's budget lines (venue only for some activities).
COST_TYPES = ("honorarium", "consumption", "venue")
#: IP ASN and talent box: position kinds (``people.PositionKind``) and their shares.
POSITION_KINDS = ("jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas",
                  "fungsional_keahlian", "fungsional_keterampilan", "pelaksana")  # fmt: skip
KIND_SHARES = (0.001, 0.004, 0.02, 0.04, 0.085, 0.27, 0.15, 0.43)
#: Education levels (``Education``), lowest first.
EDUCATION = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
SKP_PREDIKAT = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
#: SKP years written (IP ASN on 31 Dec 2025 scores 2024; the 9-box looks at 2024–2025).
SKP_YEARS = (YEAR - 1, YEAR)
#: ASN without an SKP of the earlier year (appointed during it) and of the later one.
P_NO_SKP = (0.03, 0.01)
SANCTION_LEVELS = ("ringan", "sedang", "berat")
#: ASN with a disciplinary sanction in 2023–2025.
P_SANCTION = 0.012
#: ASN assessed for potential (talent 9-box), per instansi cohort.
P_ASSESSED = 0.6
SERVICE_UNITS = 12
PANEL_YEARS = (2022, 2023, 2024, 2025, 2026)
#: Planted effect of program adoption on the IKM (points on 25–100).
PLANTED_IKM_EFFECT = 3.0

#: Columns written per frame (all are contract columns except in the derived frames).
NATIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": ("nip", "status", "unit", "is_active", "education_level", "position"),
    "activities": ("code", "program", "form", "jp", "start_date", "end_date", "status", "year"),
    "enrollments": ("activity", "nip", "status"),
    "responses": ("token", "instrument", "version", "activity", "submitted_at",
                  "respondent_role", "occasion", "subject_nip"),
    "response_identities": ("token", "nip"),
    "answers": ("token", "item", "value", "option"),
    "jp_ledger": ("nip", "year", "jp", "source", "activity", "approval_status"),
    "budget_lines": ("code", "program", "activity", "fiscal_year", "cost_type",
                     "planned_amount"),
    "expenditures": ("budget_line", "date", "amount"),
    "performance_records": ("nip", "year", "predikat", "score"),
    "discipline_records": ("nip", "level", "decided_on"),
    "positions": ("code", "name", "kind", "level"),
    "scales": ("name", "min_value", "max_value"),
    "instruments": ("code", "kind", "is_anonymous"),
    "items": ("instrument", "version", "code", "order", "dimension", "item_type", "scale",
              "is_reverse", "answer_key", "points"),
}  # fmt: skip


@dataclass(frozen=True)
class NationalPlan:
    """Sizes of a national world: instansi headcounts and their chunks."""

    name: str
    n_asn: int
    instansi_asn: tuple[int, ...]
    chunks: tuple[tuple[int, ...], ...]  # instansi indices per chunk

    @property
    def n_instansi(self) -> int:
        """Number of instansi."""
        return len(self.instansi_asn)


def plan_national(scale: str | int, seed: int) -> NationalPlan:
    """Split a headcount into instansi (lognormal sizes) and chunks of at most CHUNK_ASN.

    ``scale`` is ``"nasional"`` or a headcount of at least 1,000.
    """
    if isinstance(scale, str) and not scale.isdigit():
        if scale not in NATIONAL_SCALES:
            raise MutuValueError(
                f"Skala nasional tidak dikenal: {scale!r} (nasional atau jumlah ASN).",
                f"Unknown national scale: {scale!r} (nasional or a headcount).",
                field="scale",
            )
        n_asn, n_inst = NATIONAL_SCALES[scale]
        name = scale
    else:
        n_asn = int(scale)
        if n_asn < 1000:
            raise MutuValueError(
                f"Jumlah ASN minimal 1.000; diberikan {n_asn}.",
                f"At least 1,000 ASN are needed; {n_asn} was given.",
                field="scale",
            )
        n_inst = max(1, round(n_asn / ASN_PER_INSTANSI))
        name = f"n{n_asn}"
    rng = np.random.default_rng([seed, 0])
    weights = rng.lognormal(0.0, 1.0, n_inst)
    raw = np.minimum(weights / weights.sum() * n_asn, CHUNK_ASN)
    sizes = np.maximum(np.floor(raw).astype(np.int64), 50)
    sizes[np.argmin(sizes)] += n_asn - int(sizes.sum())  # exact total
    if sizes.min() < 1 or sizes.max() > CHUNK_ASN:
        sizes = np.full(n_inst, n_asn // n_inst)
        sizes[: n_asn - int(sizes.sum())] += 1
    chunks: list[tuple[int, ...]] = []
    current: list[int] = []
    filled = 0
    for i, size in enumerate(sizes.tolist()):
        if current and filled + size > CHUNK_ASN:
            chunks.append(tuple(current))
            current, filled = [], 0
        current.append(i)
        filled += size
    chunks.append(tuple(current))
    return NationalPlan(name, n_asn, tuple(int(s) for s in sizes), tuple(chunks))


def _instansi_codes(n: int) -> tuple[list[str], list[str], list[str]]:
    codes, names, kinds = [], [], []
    for i in range(n):
        if i < max(1, n // 15):
            codes.append(f"K{i + 1:03d}")
            names.append(f"Kementerian/Lembaga {i + 1}")
            kinds.append("pusat")
        elif i < max(1, n // 15) + min(38, n // 10):
            j = i - max(1, n // 15) + 1
            codes.append(f"P{j:02d}")
            names.append(f"Pemerintah Provinsi {j}")
            kinds.append("provinsi")
        else:
            codes.append(f"D{i + 1:04d}")
            names.append(f"Pemerintah Kabupaten/Kota {i + 1}")
            kinds.append("kabupaten_kota")
    return codes, names, kinds


def _dict(values: Any, categories: tuple[str, ...]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(
        pa.array(values, type=pa.int8()), pa.array(list(categories), type=pa.string())
    )


def _write(out: Path, frame: str, part: str, table: pa.Table) -> int:
    folder = out / frame
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / f"part-{part}.parquet", compression="zstd")
    return int(table.num_rows)


def _global_tables() -> dict[str, pa.Table]:
    items: dict[str, list[Any]] = {c: [] for c in NATIONAL_COLUMNS["items"]}
    for order, code in enumerate(REACTION_ITEMS, start=1):
        for col, val in zip(
            NATIONAL_COLUMNS["items"],
            ("REAKSI", 1, code, order, "reaksi", "likert", "Likert 1-5 (setuju)",
             code == REVERSED, None, 1.0),
            strict=True,
        ):  # fmt: skip
            items[col].append(val)
    for order, code in enumerate(RATING_ITEMS, start=1):
        for col, val in zip(
            NATIONAL_COLUMNS["items"],
            (RATING_INSTRUMENT, 1, code, order, RATING_DIMENSION, "likert",
             "Likert 1-5 (setuju)", False, None, 1.0),
            strict=True,
        ):  # fmt: skip
            items[col].append(val)
    for inst in ("TEST-PRE", "TEST-POST"):
        for order, (code, key) in enumerate(zip(TEST_ITEMS, ANSWER_KEY, strict=True), start=1):
            for col, val in zip(
                NATIONAL_COLUMNS["items"],
                (inst, 1, code, order, "tes", "multiple_choice", None, False, key, 1.0),
                strict=True,
            ):
                items[col].append(val)
    kinds = list(POSITION_KINDS)
    return {
        "positions": pa.table(
            {
                "code": [f"JAB-{k.upper()}" for k in kinds],
                "name": [k.replace("_", " ").title() for k in kinds],
                "kind": kinds,
                "level": pa.array([None] * len(kinds), type=pa.string()),
            }
        ),
        "scales": pa.table({"name": ["Likert 1-5 (setuju)"], "min_value": [1], "max_value": [5]}),
        "instruments": pa.table(
            {
                "code": ["REAKSI", "TEST-PRE", "TEST-POST", RATING_INSTRUMENT],
                "kind": ["reaction", "pre_test", "post_test", "supervisor_rating"],
                "is_anonymous": [True, False, False, False],
            }
        ),
        "items": pa.table(items),
    }


def _chunk(
    rng: np.random.Generator,
    plan: NationalPlan,
    members: tuple[int, ...],
    codes: list[str],
    asn_before: int,
    token_base: int,
    extra: np.random.Generator,
    people_rng: np.random.Generator,
) -> dict[str, pa.Table]:
    """One chunk's frames. ``rng`` draws what the first national world had; ``extra``
    (its own seed) draws the L3 ratings and the L5 budget, and ``people_rng`` (its own
    seed again) the IP ASN and talent-box inputs, so those frames add to the world
    without changing any value drawn before them."""
    sizes = np.array([plan.instansi_asn[i] for i in members], dtype=np.int64)
    n = int(sizes.sum())
    inst_of = np.repeat(np.arange(len(members)), sizes)
    inst_code = np.array([codes[i] for i in members], dtype=object)
    nip_num = np.int64(10**17) + asn_before + np.arange(n, dtype=np.int64)
    nip = nip_num.astype(str).astype(object)
    pppk = rng.random(n) < 0.3
    employees = pa.table(
        {
            "nip": pa.array(nip, type=pa.string()),
            "status": _dict(pppk.astype(np.int8), ("PNS", "PPPK")),
            "unit": pa.array(inst_code[inst_of], type=pa.string()),
            "is_active": pa.array(np.ones(n, dtype=bool)),
        }
    )
    # activities: about ENROLLMENTS_PER_ASN × headcount / CLASS_SIZE per instansi
    n_act_inst = np.maximum(2, np.ceil(sizes * ENROLLMENTS_PER_ASN / CLASS_SIZE)).astype(np.int64)
    act_first = np.concatenate([[0], np.cumsum(n_act_inst)[:-1]])
    n_act = int(n_act_inst.sum())
    act_inst = np.repeat(np.arange(len(members)), n_act_inst)
    act_local = np.arange(n_act) - act_first[act_inst]
    act_code = (
        inst_code[act_inst].astype(str)
        + np.char.mod("-%d-", np.full(n_act, YEAR))
        + np.char.zfill(act_local.astype(str), 5)
    ).astype(object)
    tested = rng.random(n_act) < SHARE_TESTED
    jp = rng.choice(np.array([2.0, 4.0, 8.0, 16.0, 24.0, 32.0]), n_act)
    quality = rng.normal(0.0, 0.35, n_act)
    gain = np.clip(rng.normal(0.6, 0.3, n_act), -0.2, None)
    start_day = rng.integers(0, 330, n_act)
    start = np.datetime64(f"{YEAR}-01-06") + start_day.astype("timedelta64[D]")
    activities = pa.table(
        {
            "code": pa.array(act_code, type=pa.string()),
            "program": _dict(tested.astype(np.int8), ("PENGEMBANGAN", "PELATIHAN-TES")),
            "form": _dict(tested.astype(np.int8), ("workshop", "pelatihan_teknis")),
            "jp": pa.array(jp),
            "start_date": pa.array(start.astype("datetime64[ms]")),
            "end_date": pa.array((start + 2).astype("datetime64[ms]")),
            "status": _dict(np.zeros(n_act, dtype=np.int8), ("done",)),
            "year": pa.array(np.full(n_act, YEAR, dtype=np.int64)),
        }
    )
    # enrollments: person i takes k_i distinct activities of their instansi
    k = np.minimum(rng.poisson(ENROLLMENTS_PER_ASN, n), n_act_inst[inst_of])
    person = np.repeat(np.arange(n), k)
    rank = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
    first = rng.integers(0, n_act_inst[inst_of])
    act = act_first[inst_of[person]] + (first[person] + rank) % n_act_inst[inst_of[person]]
    n_enr = int(person.size)
    u = rng.random(n_enr)
    status = np.where(u < 0.85, 0, np.where(u < 0.95, 1, 2)).astype(np.int8)
    enrollments = pa.table(
        {
            "activity": pa.array(act_code[act], type=pa.string()),
            "nip": pa.array(nip[person], type=pa.string()),
            "status": _dict(status, ("completed", "withdrawn", "failed")),
        }
    )
    done = status == 0
    # responses: reaction (completed), pre test (tested, not withdrawn), post (tested, completed)
    e_idx = np.arange(n_enr)
    r_react = e_idx[done]
    r_pre = e_idx[tested[act] & (status != 1)]
    r_post = e_idx[tested[act] & done]
    r_enr = np.concatenate([r_react, r_pre, r_post])
    r_kind = np.concatenate(
        [np.zeros(r_react.size), np.ones(r_pre.size), np.full(r_post.size, 2)]
    ).astype(np.int8)
    n_resp = int(r_enr.size)
    token = token_base + np.arange(n_resp, dtype=np.int64)
    r_act = act[r_enr]
    day = start[r_act] + np.where(r_kind == 1, 0, 2).astype("timedelta64[D]")
    submitted = day.astype("datetime64[ms]") + (
        rng.integers(8 * 3600, 16 * 3600, n_resp) * 1000
    ).astype("timedelta64[ms]")
    rat = _ratings(extra, act, person, done, n_act, start)
    n_rat = int(rat["enr"].size)
    rat_token = token_base + n_resp + np.arange(n_rat, dtype=np.int64)
    kinds = np.concatenate([r_kind, np.full(n_rat, 3, dtype=np.int8)])
    responses = pa.table(
        {
            "token": pa.array(np.concatenate([token, rat_token])),
            "instrument": _dict(kinds, ("REAKSI", "TEST-PRE", "TEST-POST", RATING_INSTRUMENT)),
            "version": pa.array(np.ones(n_resp + n_rat, dtype=np.int64)),
            "activity": pa.array(
                np.concatenate([act_code[r_act], act_code[act[rat["enr"]]]]), type=pa.string()
            ),
            "submitted_at": pa.array(np.concatenate([submitted, rat["at"]])),
            "respondent_role": _dict((kinds == 3).astype(np.int8), ("participant", "supervisor")),
            "occasion": _dict(
                np.concatenate([r_kind, 3 + rat["after"]]).astype(np.int8),
                ("end", "pre", "post", "before", "after"),
            ),
            "subject_nip": pa.array(
                np.concatenate([np.full(n_resp, None, dtype=object), nip[person[rat["enr"]]]]),
                type=pa.string(),
            ),
        }
    )
    named = r_kind > 0
    identities = pa.table(
        {
            "token": pa.array(token[named]),
            "nip": pa.array(nip[person[r_enr[named]]], type=pa.string()),
        }
    )
    # answers, reaction: latent attitude + activity quality + item noise on 1–5
    n_r = r_react.size
    ni = len(REACTION_ITEMS)
    latent = 3.6 + quality[act[r_react]] + rng.normal(0.0, 0.6, n_r)
    val = np.clip(np.rint(latent[:, None] + rng.normal(0.0, 0.7, (n_r, ni))), 1, 5)
    rev = REACTION_ITEMS.index(REVERSED)
    val[:, rev] = 6.0 - val[:, rev]
    val[rng.random((n_r, ni)) < P_MISSING] = np.nan
    # answers, tests: P(correct) from ability, plus the activity's gain after
    r_t = np.concatenate([r_pre, r_post])
    post_flag = np.concatenate([np.zeros(r_pre.size), np.ones(r_post.size)])
    ability = rng.normal(0.0, 1.0, n)
    logit = -0.3 + ability[person[r_t]] + post_flag * gain[act[r_t]]
    nt = len(TEST_ITEMS)
    p = 1.0 / (1.0 + np.exp(-(logit[:, None] - np.linspace(-1, 1, nt)[None, :])))
    correct = rng.random((r_t.size, nt)) < p
    key_code = np.array([OPTIONS.index(c) for c in ANSWER_KEY], dtype=np.int8)
    wrong = (key_code[None, :] + rng.integers(1, 4, (r_t.size, nt))) % 4
    option = np.where(correct, key_code[None, :], wrong).astype(np.int8)
    n_ans_r, n_ans_t = n_r * ni, r_t.size * nt
    nk = len(RATING_ITEMS)
    item_code = np.concatenate(
        [
            np.tile(np.arange(ni, dtype=np.int8), n_r),
            np.tile(np.arange(nt, dtype=np.int8) + ni, r_t.size),
            np.tile(np.arange(nk, dtype=np.int8) + ni + nt, n_rat),
        ]
    )
    opt_idx = np.concatenate(
        [np.full(n_ans_r, -1, dtype=np.int8), option.ravel(), np.full(n_rat * nk, -1, np.int8)]
    )
    answers = pa.table(
        {
            "token": pa.array(
                np.concatenate(
                    [
                        np.repeat(token[:n_r], ni),
                        np.repeat(token[n_r:], nt),
                        np.repeat(rat_token, nk),
                    ]
                )
            ),
            "item": _dict(item_code, REACTION_ITEMS + TEST_ITEMS + RATING_ITEMS),
            "value": pa.array(
                np.concatenate([val.ravel(), np.full(n_ans_t, np.nan), rat["values"].ravel()]),
                from_pandas=True,
            ),  # NaN written as null
            "option": pa.DictionaryArray.from_arrays(
                pa.array(opt_idx, type=pa.int8(), mask=opt_idx < 0),
                pa.array(list(OPTIONS), type=pa.string()),
            ),
        }
    )
    # JP ledger: one entry per completed enrollment, plus external JP for some people
    ext = np.flatnonzero(rng.random(n) < 0.3)
    l_nip = np.concatenate([person[done], ext])
    u = rng.random(l_nip.size)
    approval = np.where(u < 0.97, 0, np.where(u < 0.99, 1, 2)).astype(np.int8)
    ledger = pa.table(
        {
            "nip": pa.array(nip[l_nip], type=pa.string()),
            "year": pa.array(np.full(l_nip.size, YEAR, dtype=np.int64)),
            "jp": pa.array(np.concatenate([jp[act[done]], rng.choice([2.0, 4.0, 8.0], ext.size)])),
            "source": _dict(
                np.concatenate([np.zeros(int(done.sum())), np.ones(ext.size)]).astype(np.int8),
                ("activity", "external"),
            ),
            "activity": pa.array(
                np.concatenate([act_code[act[done]], np.full(ext.size, None, dtype=object)]),
                type=pa.string(),
            ),
            "approval_status": _dict(approval, ("approved", "pending", "rejected")),
        }
    )
    # IKM panel: service units × years, staggered adoption, planted effect
    n_u = len(members) * SERVICE_UNITS
    u_inst = np.repeat(np.arange(len(members)), SERVICE_UNITS)
    cohorts = np.array([0, 2024, 2025, 2026])
    first_treated = rng.choice(cohorts, n_u, p=[0.4, 0.2, 0.2, 0.2])
    years = np.array(PANEL_YEARS)
    unit_eff = rng.normal(0.0, 4.0, n_u)
    y_unit = np.repeat(np.arange(n_u), years.size)
    y_year = np.tile(years, n_u)
    treated = (first_treated[y_unit] > 0) & (y_year >= first_treated[y_unit])
    ikm = (
        76.0
        + unit_eff[y_unit]
        + 0.8 * (y_year - years[0])
        + PLANTED_IKM_EFFECT * treated
        + rng.normal(0.0, 1.5, y_unit.size)
    )
    unit_codes = (
        inst_code[u_inst].astype(str)
        + ".U"
        + np.char.zfill((np.arange(n_u) % SERVICE_UNITS).astype(str), 2)
    ).astype(object)
    panel = pa.table(
        {
            "instansi": pa.array(inst_code[u_inst[y_unit]], type=pa.string()),
            "unit": pa.array(unit_codes[y_unit], type=pa.string()),
            "year": pa.array(y_year.astype(np.int64)),
            "ikm": pa.array(np.round(ikm, 4)),
            "first_treated": pa.array(first_treated[y_unit].astype(np.int64)),
        }
    )
    budget, spent = _budget(extra, act_code, jp, tested, np.bincount(act, minlength=n_act), start)
    return {
        "employees": employees,
        "activities": activities,
        "budget_lines": budget,
        "expenditures": spent,
        "enrollments": enrollments,
        "responses": responses,
        "response_identities": identities,
        "answers": answers,
        "jp_ledger": ledger,
        "ikm_panel": panel,
        **_people(people_rng, employees, ability, pppk, inst_code[inst_of]),
    }


def _people(
    rng: np.random.Generator,
    employees: pa.Table,
    ability: NDArray[np.float64],
    pppk: NDArray[np.bool_],
    instansi: NDArray[np.object_],
) -> dict[str, pa.Table]:
    """IP ASN and talent-box inputs: position and education, SKP, sanctions, potential.

    ``employees`` gains ``education_level`` and ``position`` (``JAB-<KIND>``;
    PPPK hold functional or pelaksana positions only; education rises with the
    position: S2/S3 likelier for JPT and administrators, SMA/D3 for
    pelaksana). SKP per year of :data:`SKP_YEARS` (each missing with
    :data:`P_NO_SKP`): score ``84 + 5.5 (0.8 ability + 0.6 noise)`` clipped
    to 45–99.5, rounded to 0.01, and the predikat of its ``ip_asn`` category
    (≥ 91, 76, 61, 51), as the regency world. A sanction for a share
    :data:`P_SANCTION` (70 % ringan, 20 % sedang, 10 % berat) decided in
    2023-01-15 … 2025-10-31. Potential: :data:`P_ASSESSED` of the ASN are
    assessed, score ``round(60 + 10 (0.5 ability + noise), 1)`` clipped to 0–100, cohort = instansi.
    ``ability`` is the test ability already drawn for the chunk (read, not drawn).
    """
    n = employees.num_rows
    shares = np.array(KIND_SHARES)
    u = rng.random(n)
    kind = np.searchsorted(np.cumsum(shares / shares.sum()), u, side="right").astype(np.int8)
    kind = np.minimum(kind, len(POSITION_KINDS) - 1)
    # PPPK: functional (keahlian/keterampilan) or pelaksana only
    pppk_kind = np.array([5, 6, 7], dtype=np.int8)[np.minimum((u * 3).astype(np.int64), 2)]
    kind = np.where(pppk, pppk_kind, kind).astype(np.int8)
    # education: base level per kind (index into EDUCATION) plus a small spread
    base = np.array([8, 8, 8, 7, 7, 7, 5, 2], dtype=np.int64)[kind]
    step = rng.choice(np.array([-2, -1, 0, 0, 0, 1]), n)
    edu = np.clip(base + step + (ability > 1.2), 0, len(EDUCATION) - 1).astype(np.int8)
    positions = np.array([f"JAB-{k.upper()}" for k in POSITION_KINDS], dtype=object)
    staff = employees.append_column("education_level", _dict(edu, EDUCATION)).append_column(
        "position", pa.array(positions[kind], type=pa.string())
    )
    nip = employees.column("nip").to_numpy(zero_copy_only=False)
    # SKP of the two years
    mins = np.array([91.0, 76.0, 61.0, 51.0, 0.0])
    per_year: list[tuple[NDArray[np.int64], int, NDArray[np.float64]]] = []
    for y, p_none in zip(SKP_YEARS, P_NO_SKP, strict=True):
        noise = rng.standard_normal(n)
        has = rng.random(n) >= p_none
        score = np.round(np.clip(84.0 + 5.5 * (0.8 * ability + 0.6 * noise), 45.0, 99.5), 2)
        per_year.append((np.flatnonzero(has), y, score))
    who = np.concatenate([w for w, _, _ in per_year])
    score = np.concatenate([s[w] for w, _, s in per_year])
    pred = np.argmax(score[:, None] >= mins[None, :], axis=1).astype(np.int8)
    years = np.concatenate([np.full(w.size, y, np.int64) for w, y, _ in per_year])
    performance = pa.table(
        {
            "nip": pa.array(nip[who], type=pa.string()),
            "year": pa.array(years),
            "predikat": _dict(pred, SKP_PREDIKAT),
            "score": pa.array(score),
        }
    )
    # sanctions: rare, likelier for low ability
    hit = np.flatnonzero(rng.random(n) < P_SANCTION * 2.0 / (1.0 + np.exp(ability)))
    lv = rng.random(hit.size)
    level = np.where(lv < 0.7, 0, np.where(lv < 0.9, 1, 2)).astype(np.int8)
    first = np.datetime64("2023-01-15")
    span = int((np.datetime64("2025-10-31") - first).astype(np.int64))
    decided = first + rng.integers(0, span + 1, hit.size).astype("timedelta64[D]")
    discipline = pa.table(
        {
            "nip": pa.array(nip[hit], type=pa.string()),
            "level": _dict(level, SANCTION_LEVELS),
            "decided_on": pa.array(decided.astype("datetime64[ms]")),
        }
    )
    assessed = np.flatnonzero(rng.random(n) < P_ASSESSED)
    raw = 60.0 + 10.0 * (0.5 * ability[assessed] + rng.standard_normal(assessed.size))
    pot = np.round(np.clip(raw, 0.0, 100.0), 1)
    potential = pa.table(
        {
            "nip": pa.array(nip[assessed], type=pa.string()),
            "score": pa.array(pot),
            "cohort": pa.array(instansi[assessed], type=pa.string()),
        }
    )
    return {
        "employees": staff,
        "performance_records": performance,
        "discipline_records": discipline,
        "potential": potential,
    }


def _ratings(
    rng: np.random.Generator,
    act: NDArray[np.int64],
    person: NDArray[np.int64],
    done: NDArray[np.bool_],
    n_act: int,
    start: NDArray[np.datetime64],
) -> dict[str, Any]:
    """L3: before/after supervisor ratings (items K1–K4, 1–5) of completers of rated activities.

    A share :data:`SHARE_RATED` of the activities is rated; each completer's
    supervisor rates the person's work-plan quality 7–14 days before the start
    (``before``) and 10–24 days after the end (``after``), each submitted with
    probability :data:`P_RATED`. Item ``= clip(round(3.0 + u_person + after ×
    effect_activity + noise), 1, 5)`` with ``u ~ N(0, 0.5)``, ``effect ~
    N(0.3, 0.2)``, noise ``N(0, 0.55)``.
    """
    rated = rng.random(n_act) < SHARE_RATED
    effect = rng.normal(0.3, 0.2, n_act)
    enr = np.flatnonzero(done & rated[act])
    u = rng.normal(0.0, 0.5, enr.size)
    enr2 = np.concatenate([enr, enr])
    after = np.concatenate([np.zeros(enr.size, np.int8), np.ones(enr.size, np.int8)])
    keep = rng.random(enr2.size) < P_RATED
    latent = 3.0 + np.concatenate([u, u]) + after * effect[act[enr2]]
    noise = rng.normal(0.0, 0.55, (enr2.size, len(RATING_ITEMS)))
    values = np.clip(np.rint(latent[:, None] + noise), 1, 5)
    offset = np.where(
        after == 1, 2 + rng.integers(10, 25, enr2.size), -rng.integers(7, 15, enr2.size)
    )
    seconds = rng.integers(8 * 3600, 16 * 3600, enr2.size) * 1000
    at = (start[act[enr2]] + offset.astype("timedelta64[D]")).astype(
        "datetime64[ms]"
    ) + seconds.astype("timedelta64[ms]")
    return {"enr": enr2[keep], "after": after[keep], "values": values[keep], "at": at[keep]}


def _budget(
    rng: np.random.Generator,
    act_code: NDArray[np.object_],
    jp: NDArray[np.float64],
    tested: NDArray[np.bool_],
    enrolled: NDArray[np.int64],
    start: NDArray[np.datetime64],
) -> tuple[pa.Table, pa.Table]:
    """L5: budget lines (honorarium, consumption, venue for half) and their expenditures.

    Planned: honorarium JP × Rp 300,000–500,000; consumption enrolled × days ×
    Rp 50,000–75,000; venue Rp 1–5 million; rounded to Rp 1,000. Each line is
    spent once at 70–105 % of plan, except 5 % of the lines (nothing spent yet).
    """
    n_act = act_code.size
    days = np.maximum(1, np.ceil(jp / 8.0))
    honorarium = jp * rng.uniform(300_000, 500_000, n_act)
    consumption = enrolled * days * rng.uniform(50_000, 75_000, n_act)
    venue = rng.uniform(1_000_000, 5_000_000, n_act)
    has_venue = rng.random(n_act) < 0.5
    planned = np.round(np.stack([honorarium, consumption, venue], axis=1), -3)
    line_act = np.repeat(np.arange(n_act), len(COST_TYPES))
    line_type = np.tile(np.arange(len(COST_TYPES), dtype=np.int8), n_act)
    grid = np.ones((n_act, len(COST_TYPES)), dtype=bool)
    grid[:, 2] = has_venue
    use = grid.ravel()
    line_act, line_type, planned_v = line_act[use], line_type[use], planned.ravel()[use]
    types = np.array(COST_TYPES, dtype=object)
    code = (
        np.char.add(np.char.add("BL-", act_code[line_act].astype(str)), "-")
        + types[line_type].astype(str)
    ).astype(object)
    lines = pa.table(
        {
            "code": pa.array(code, type=pa.string()),
            "program": _dict(tested[line_act].astype(np.int8), ("PENGEMBANGAN", "PELATIHAN-TES")),
            "activity": pa.array(act_code[line_act], type=pa.string()),
            "fiscal_year": pa.array(np.full(line_act.size, YEAR, dtype=np.int64)),
            "cost_type": _dict(line_type, COST_TYPES),
            "planned_amount": pa.array(planned_v),
        }
    )
    paid = rng.random(line_act.size) >= 0.05
    amount = np.round(planned_v * rng.uniform(0.70, 1.05, line_act.size), -3)
    day = start[line_act] + rng.integers(0, 20, line_act.size).astype("timedelta64[D]")
    spent = pa.table(
        {
            "budget_line": pa.array(code[paid], type=pa.string()),
            "date": pa.array(day[paid].astype("datetime64[ms]")),
            "amount": pa.array(amount[paid]),
        }
    )
    return lines, spent


def iter_national(seed: int, plan: NationalPlan) -> Iterator[tuple[int, dict[str, pa.Table]]]:
    """Yield ``(chunk, frames)`` one chunk at a time (each from its own seeded generator)."""
    codes, _, _ = _instansi_codes(plan.n_instansi)
    asn_before = 0
    token_base = 0
    for c, members in enumerate(plan.chunks):
        rng = np.random.default_rng([seed, 1, c])
        extra = np.random.default_rng([seed, 2, c])
        people_rng = np.random.default_rng([seed, 3, c])
        frames = _chunk(rng, plan, members, codes, asn_before, token_base, extra, people_rng)
        asn_before += sum(plan.instansi_asn[i] for i in members)
        token_base += int(frames["responses"].num_rows)
        yield c, frames


def generate_national(*, seed: int, scale: str | int, out: Path | str) -> dict[str, Any]:
    """Write a national world to ``out`` chunk by chunk; return (and write) its manifest.

    ``out`` must not hold an earlier world (``manifest.json``): nothing is overwritten.
    """
    folder = Path(out)
    if (folder / "manifest.json").exists():
        raise MutuValueError(
            f"Folder {folder} sudah berisi dunia; pilih folder kosong.",
            f"Folder {folder} already holds a world; choose an empty folder.",
            field="out",
        )
    plan = plan_national(scale, seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for name, table in _global_tables().items():
        rows[name] = _write(folder, name, "global", table)
    codes, names, kinds = _instansi_codes(plan.n_instansi)
    chunk_of = np.zeros(plan.n_instansi, dtype=np.int64)
    for c, members in enumerate(plan.chunks):
        chunk_of[list(members)] = c
    rows["instansi"] = _write(
        folder,
        "instansi",
        "global",
        pa.table(
            {
                "code": codes,
                "name": names,
                "kind": kinds,
                "n_asn": list(plan.instansi_asn),
                "chunk": chunk_of,
            }
        ),
    )
    for c, frames in iter_national(seed, plan):
        for name, table in frames.items():
            rows[name] = rows.get(name, 0) + _write(folder, name, f"{c:05d}", table)
    manifest = {
        "kind": "national",
        "seed": seed,
        "scale": plan.name,
        "n_asn": plan.n_asn,
        "n_instansi": plan.n_instansi,
        "n_chunks": len(plan.chunks),
        "year": YEAR,
        "rows": rows,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def expected_answers(n_asn: int) -> float:
    """Rough expected number of answer rows for ``n_asn`` ASN (for planning a run)."""
    enr = ENROLLMENTS_PER_ASN * n_asn
    react = enr * 0.85 * len(REACTION_ITEMS)
    tests = enr * SHARE_TESTED * (0.90 + 0.85) * len(TEST_ITEMS)
    return math.fsum([react, tests])
