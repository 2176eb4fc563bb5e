"""Raw exports with planted faults, for the import issue to test against.

Three files imitate what BKPSDM actually receives, plus a README listing
every planted fault with its row:

- ``raw/siasn_pegawai.csv`` — a SIASN-like employee export: Windows-1252,
  ``;``-separated, dates dd-mm-YYYY, unit *names* instead of codes.  Faults:
  duplicated rows, a NIP in Excel scientific notation, trailing spaces,
  ISO dates among dd-mm-YYYY ones, an unknown unit; names with non-ASCII
  characters (``’``, ``é``) that only decode as Windows-1252.
- ``raw/daftar_hadir_<activity>.csv`` — a session attendance sheet (UTF-8
  with BOM, ``,``): a duplicated row, a NIP typed with spaces, a NIP with a
  digit missing, a ``hadir`` mark written differently.
- ``raw/nilai_pre_post_<year>.csv`` — test scores of the last year (UTF-8,
  ``;``, decimal comma): a score above 100, a duplicated row.

"Row" in the README is the 1-based data row (the header is line 1, so data
row r is on line r + 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mutu.synthetic.config import WorldConfig
from mutu.synthetic.workforce import Workforce

UNKNOWN_UNIT = "Dinas Pariwisata dan Ekonomi Kreatif"
STATUS_PPPK = {"full_time": "PPPK", "part_time": "PPPK Paruh Waktu"}


def _ddmmyyyy(d: pd.Series) -> list[str]:
    return [str(x) for x in d.dt.strftime("%d-%m-%Y")]


def _excel_sci(nip: str) -> str:
    """How Excel shows an 18-digit number in a General cell: 1.98609E+17."""
    mantissa, exp = f"{float(nip):.5E}".split("E")
    return f"{mantissa}E+{int(exp)}"


def _csv(rows: list[list[str]], sep: str) -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


def siasn_export(
    frames: dict[str, pd.DataFrame], wf: Workforce, rng: np.random.Generator
) -> tuple[bytes, list[str]]:
    """The SIASN-like employee export and its README lines."""
    emp = frames["employees"]
    units = frames["units"].set_index("code")["name"]
    pos = frames["positions"].set_index("code")["name"]
    people = wf.people
    header = [
        "NO",
        "NIP",
        "NAMA",
        "GELAR DEPAN",
        "GELAR BELAKANG",
        "JENIS KELAMIN",
        "TGL LAHIR",
        "STATUS",
        "GOL",
        "JABATAN",
        "UNOR",
        "PENDIDIKAN",
        "TMT CPNS",
    ]
    back = people["back_title"].str.removeprefix(", ")
    status = np.where(
        emp["status"] == "PNS", "PNS", emp["employment_type"].map(STATUS_PPPK).fillna("PPPK")
    )
    rows = [
        [
            str(i + 1),
            nip,
            name,
            front.strip(),
            bt,
            sex,
            birth,
            st,
            gol,
            pos[p],
            units[u],
            edu,
            tmt,
        ]
        for i, (nip, name, front, bt, sex, birth, st, gol, p, u, edu, tmt) in enumerate(
            zip(
                emp["nip"],
                people["plain_name"],
                people["front_title"],
                back,
                emp["sex"],
                _ddmmyyyy(emp["birth_date"]),
                status,
                emp["golongan"],
                emp["position"],
                emp["unit"],
                emp["education_level"],
                _ddmmyyyy(emp["tmt_cpns"]),
                strict=True,
            )
        )
    ]
    n = len(rows)
    pick = rng.choice(n, size=9, replace=False)
    faults: list[tuple[int, str]] = []
    sci, trail_name, trail_unit, iso1, iso2, unknown = (int(x) for x in pick[:6])
    rows[sci][1] = _excel_sci(rows[sci][1])
    faults.append(
        (
            sci,
            f"NIP in Excel scientific notation `{rows[sci][1]}` (true NIP {emp['nip'].iloc[sci]})",
        )
    )
    rows[trail_name][2] += "  "
    faults.append((trail_name, "NAMA has two trailing spaces"))
    rows[trail_unit][10] += " "
    faults.append((trail_unit, "UNOR has a trailing space"))
    for r in (iso1, iso2):
        rows[r][6] = emp["birth_date"].iloc[r].strftime("%Y-%m-%d")
        faults.append((r, f"TGL LAHIR in ISO form `{rows[r][6]}` instead of dd-mm-YYYY"))
    rows[unknown][10] = UNKNOWN_UNIT
    faults.append(
        (
            unknown,
            f"UNOR `{UNKNOWN_UNIT}` is not a unit of the regency (true unit "
            f"{emp['unit'].iloc[unknown]})",
        )
    )
    accented = [i for i, name in enumerate(people["plain_name"]) if not name.isascii()]
    # Duplicates: an exact copy of a row right after it (as when a range is pasted twice).
    dups = sorted(int(x) for x in pick[6:9])
    out: list[list[str]] = []
    row_no: dict[int, int] = {}
    dup_rows: list[tuple[int, int]] = []
    for i, row in enumerate(rows):
        out.append(row)
        row_no[i] = len(out)
        if i in dups:
            out.append(list(row))
            dup_rows.append((i, len(out)))
    text = _csv([header, *out], ";")
    notes = [f"| {row_no[i]} | {what} |" for i, what in sorted(faults)]
    notes += [
        f"| {r} | exact duplicate of row {row_no[i]} (NIP {rows[i][1]}) |" for i, r in dup_rows
    ]
    notes = sorted(notes, key=lambda s: int(s.split("|")[1]))
    if accented:
        listed = ", ".join(str(row_no[i]) for i in accented)
        examples = ", ".join(f"`{people['plain_name'].iloc[i]}`" for i in accented[:3])
        notes.append(
            f"| {listed} | non-ASCII names (’, é), e.g. {examples}: the file decodes only as "
            "Windows-1252, not as UTF-8 |"
        )
    return text.encode("cp1252"), notes


def attendance_sheet(
    config: WorldConfig, frames: dict[str, pd.DataFrame], rng: np.random.Generator
) -> tuple[str, bytes, list[str]]:
    """One PMPP class of the last year as a sign-in sheet."""
    acts = frames["activities"]
    code = str(acts[(acts["line"] == "PMPP") & (acts["year"] == config.last_year)]["code"].iloc[0])
    att = frames["attendance"][frames["attendance"]["activity"] == code]
    names = frames["employees"].set_index("nip")["name"]
    unit_of = frames["employees"].set_index("nip")["unit"]
    unit_name = frames["units"].set_index("code")["name"]
    wide = att.pivot(index="nip", columns="session_no", values="present")
    nips = list(frames["enrollments"].query("activity == @code")["nip"])
    header = ["No", "NIP", "Nama", "Unit Kerja", *[f"Sesi {s}" for s in wide.columns]]
    rows = []
    for i, nip in enumerate(nips):
        marks = ["H" if v else "-" for v in wide.loc[nip].tolist()]
        rows.append([str(i + 1), nip, f'"{names[nip]}"', f'"{unit_name[unit_of[nip]]}"', *marks])
    pick = [int(x) for x in rng.choice(len(rows), size=4, replace=False)]
    spaced, short, odd, dup = pick
    faults = []
    n = rows[spaced][1]
    rows[spaced][1] = f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"
    faults.append((spaced, f"NIP typed with spaces `{rows[spaced][1]}` (valid once normalised)"))
    rows[short][1] = n2 = rows[short][1][:-1]
    faults.append((short, f"NIP `{n2}` has 17 digits (last digit missing)"))
    col = 4 + int(np.argmax([m == "H" for m in rows[odd][4:]]))
    rows[odd][col] = "Hadir"
    faults.append((odd, f"mark `Hadir` instead of `H` in column {header[col]}"))
    out = []
    row_no = {}
    for i, r in enumerate(rows):
        out.append(r)
        row_no[i] = len(out)
        if i == dup:
            out.append(list(r))
            faults.append((i, f"duplicated on row {len(out)}"))
    notes = [f"| {row_no[i]} | {what} |" for i, what in sorted(faults)]
    data = "\ufeff" + _csv([header, *out], ",")
    return f"daftar_hadir_{code}.csv", data.encode("utf-8"), notes


def score_sheet(
    config: WorldConfig,
    frames: dict[str, pd.DataFrame],
    learn: pd.DataFrame,
    rng: np.random.Generator,
) -> tuple[str, bytes, list[str]]:
    """Pre- and post-test scores of the last year (decimal comma)."""
    t = learn[(learn["year"] == config.last_year) & (learn["pre"].notna() | learn["post"].notna())]
    names = frames["employees"].set_index("nip")["name"]

    def num(x: float) -> str:
        return "" if np.isnan(x) else f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")

    rows = [
        [nip, names[nip], act, num(pre), num(post)]
        for nip, act, pre, post in zip(t["nip"], t["activity"], t["pre"], t["post"], strict=True)
    ]
    has_post = [i for i, r in enumerate(rows) if r[4]]
    bad = int(rng.choice(has_post))
    rows[bad][4] = "110"
    dup = int(rng.integers(0, len(rows)))
    faults = [(bad, "Nilai Post-test 110 is outside 0-100")]
    out = []
    row_no = {}
    for i, r in enumerate(rows):
        out.append(r)
        row_no[i] = len(out)
        if i == dup:
            out.append(list(r))
            faults.append((i, f"duplicated on row {len(out)}"))
    header = ["NIP", "Nama", "Kode Kegiatan", "Nilai Pre-test", "Nilai Post-test"]
    notes = [f"| {row_no[i]} | {what} |" for i, what in sorted(faults)]
    notes.append("| — | an empty Nilai Post-test is a missing post-test (not a fault) |")
    name = f"nilai_pre_post_{config.last_year}.csv"
    return name, _csv([header, *out], ";").encode("utf-8"), notes


def raw_exports(
    config: WorldConfig,
    frames: dict[str, pd.DataFrame],
    learn: pd.DataFrame,
    wf: Workforce,
    rng: np.random.Generator,
) -> dict[str, bytes]:
    """The raw files (``raw/…`` → bytes) and ``raw/README.md``."""
    siasn, siasn_notes = siasn_export(frames, wf, rng)
    att_name, att, att_notes = attendance_sheet(config, frames, rng)
    score_name, scores, score_notes = score_sheet(config, frames, learn, rng)
    table = ["| row | fault |", "| --- | --- |"]
    readme = "\n".join(
        [
            "# Raw exports (synthetic, with planted faults)",
            "",
            "These files imitate what BKPSDM receives from SIASN and from training staff. "
            "They are synthetic: never present them as data of Kabupaten Aceh Tenggara. "
            "Row r is the r-th data row; the header is line 1, so row r is on line r + 1. "
            "Lines end in CRLF.",
            "",
            "## `siasn_pegawai.csv`",
            "",
            "Windows-1252, `;`-separated, dates dd-mm-YYYY, unit names (UNOR) instead of "
            "codes, names without academic titles (GELAR DEPAN / GELAR BELAKANG apart).",
            "",
            *table,
            *siasn_notes,
            "",
            f"## `{att_name}`",
            "",
            "UTF-8 with BOM, `,`-separated, names and units quoted; `H` present, `-` absent.",
            "",
            *table,
            *att_notes,
            "",
            f"## `{score_name}`",
            "",
            "UTF-8, `;`-separated, decimal comma; scores 0-100.",
            "",
            *table,
            *score_notes,
            "",
        ]
    )
    return {
        "raw/README.md": readme.encode("utf-8"),
        "raw/siasn_pegawai.csv": siasn,
        f"raw/{att_name}": att,
        f"raw/{score_name}": scores,
    }
