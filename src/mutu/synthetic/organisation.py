"""The regency's organisation: kecamatan, units, competencies, positions, standards.

Units form a tree under the instansi (Pemerintah Kabupaten Aceh Tenggara):
34 SKPK (dinas, badan, sekretariat, inspektorat, satpol PP dan WH, and the
hospital), a kantor camat in each of the 16 kecamatan, the bagian of the
Sekretariat Daerah, and the schools (SD, SMP) and puskesmas spread over the
kecamatan.  The unit names follow asn-rules.md; their sizes, locations and
the schools' and puskesmas' names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mutu.rulebooks import Rulebook
from mutu.synthetic import positions as tpl
from mutu.synthetic.config import CAPITAL_KECAMATAN, KABUPATEN_CODE, KECAMATAN, WorldConfig

INSTANSI = "PEMKAB-AGR"


@dataclass(frozen=True, slots=True)
class SkpkSpec:
    """One SKPK: code, name, head title, size factor, teknis, flags."""

    code: str
    name: str
    head: str
    size: float
    teknis: str = "teknis_administrasi_perkantoran"
    service: bool = False
    priority: bool = False
    kecamatan: str = CAPITAL_KECAMATAN
    specialists: tuple[tpl.Template, ...] = ()


_S = tpl.specialist
SKPK: tuple[SkpkSpec, ...] = (
    SkpkSpec("SETDAKAB", "Sekretariat Daerah Kabupaten", "Sekretaris Daerah", 1.0),
    SkpkSpec("SETDPRK", "Sekretariat Dewan Perwakilan Rakyat Kabupaten", "Sekretaris DPRK", 0.9),
    SkpkSpec("INSPEKTORAT", "Inspektorat Kabupaten", "Inspektur", 0.7, "teknis_pengawasan",
             specialists=(_S("auditor", "Auditor Ahli Pertama", "fungsional_keahlian",
                             "ahli_pertama", 10, "teknis_pengawasan"),
                          _S("p2upd", "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah "
                             "Ahli Muda", "fungsional_keahlian", "ahli_muda", 4,
                             "teknis_pengawasan", service=(8, 24), cap=13))),
    SkpkSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Kepala Badan", 0.7,
             "teknis_perencanaan", priority=True,
             specialists=(_S("perencana_muda", "Perencana Ahli Muda", "fungsional_keahlian",
                             "ahli_muda", 5, "teknis_perencanaan", service=(8, 24), cap=13),)),
    SkpkSpec("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
             "Kepala Badan", 0.8,
             specialists=(_S("analis_sdm", "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
                             "fungsional_keahlian", "ahli_pertama", 4,
                             "teknis_administrasi_perkantoran"),)),
    SkpkSpec("BPKK", "Badan Pengelolaan Keuangan Kabupaten", "Kepala Badan", 1.0,
             "teknis_pengelolaan_keuangan", priority=True),
    SkpkSpec("BPBD", "Badan Penanggulangan Bencana Daerah", "Kepala Pelaksana", 0.7),
    SkpkSpec("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Kepala Badan", 0.5),
    SkpkSpec("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "Kepala Dinas", 1.2,
             "teknis_manajemen_sekolah", priority=True,
             specialists=(_S("pengawas_sekolah", "Pengawas Sekolah Ahli Madya",
                             "fungsional_keahlian", "ahli_madya", 8,
                             "teknis_manajemen_sekolah", pppk=0.0, service=(16, 32),
                             cap=14),)),
    SkpkSpec("DINKES", "Dinas Kesehatan", "Kepala Dinas", 1.0, "teknis_pelayanan_kesehatan"),
    SkpkSpec("RSUD", "RSUD H. Sahudin Kutacane", "Direktur", 1.0, "teknis_pelayanan_kesehatan",
             service=True),
    SkpkSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Dinas", 1.1,
             specialists=(_S("teknik_jalan", "Teknik Jalan dan Jembatan Ahli Pertama",
                             "fungsional_keahlian", "ahli_pertama", 6,
                             "teknis_administrasi_perkantoran", female=0.15),)),
    SkpkSpec("PERKIM", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Kepala Dinas", 0.6),
    SkpkSpec("DINSOS", "Dinas Sosial", "Kepala Dinas", 0.7, "teknis_pelayanan_administrasi",
             service=True,
             specialists=(_S("peksos", "Pekerja Sosial Ahli Pertama", "fungsional_keahlian",
                             "ahli_pertama", 4, "teknis_pelayanan_administrasi",
                             front=True),)),
    SkpkSpec("PERTANIAN", "Dinas Pertanian", "Kepala Dinas", 0.9, kecamatan="11.02.12",
             specialists=(_S("penyuluh_tani", "Penyuluh Pertanian Ahli Pertama",
                             "fungsional_keahlian", "ahli_pertama", 18,
                             "teknis_administrasi_perkantoran", female=0.3, pppk=0.5),)),
    SkpkSpec("DSI", "Dinas Syariat Islam", "Kepala Dinas", 0.5),
    SkpkSpec("DISDIKDAYAH", "Dinas Pendidikan Dayah", "Kepala Dinas", 0.5),
    SkpkSpec("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas", 0.8,
             "teknis_pelayanan_administrasi", service=True,
             specialists=(_S("adminduk", "Administrator Database Kependudukan Ahli Pertama",
                             "fungsional_keahlian", "ahli_pertama", 3,
                             "teknis_pelayanan_administrasi", front=True),)),
    SkpkSpec("DPMK", "Dinas Pemberdayaan Masyarakat dan Kampung", "Kepala Dinas", 0.6),
    SkpkSpec("DLH", "Dinas Lingkungan Hidup", "Kepala Dinas", 0.7, kecamatan="11.02.12"),
    SkpkSpec("DISHUB", "Dinas Perhubungan", "Kepala Dinas", 0.7,
             "teknis_pelayanan_administrasi", service=True, kecamatan="11.02.13",
             specialists=(_S("penguji_kendaraan", "Penguji Kendaraan Bermotor Terampil",
                             "fungsional_keterampilan", "terampil", 4,
                             "teknis_pelayanan_administrasi", front=True, female=0.1,
                             education=tpl.EDU_D3, cap=11),)),
    SkpkSpec("DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", "Kepala Dinas", 0.6,
             "teknis_teknologi_informasi",
             specialists=(_S("prakom", "Pranata Komputer Ahli Pertama", "fungsional_keahlian",
                             "ahli_pertama", 4, "teknis_teknologi_informasi"),)),
    SkpkSpec("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
             "Kepala Dinas", 0.6, "teknis_pelayanan_administrasi", service=True),
    SkpkSpec("DISKOPUKMDAG", "Dinas Koperasi, Usaha Kecil dan Menengah, Perindustrian dan "
             "Perdagangan", "Kepala Dinas", 0.6),
    SkpkSpec("DP3AKB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian "
             "Penduduk dan Keluarga Berencana", "Kepala Dinas", 0.6,
             specialists=(_S("penyuluh_kb", "Penyuluh Keluarga Berencana Ahli Pertama",
                             "fungsional_keahlian", "ahli_pertama", 8,
                             "teknis_pelayanan_administrasi", female=0.7),)),
    SkpkSpec("DISPORAPAR", "Dinas Pemuda, Olahraga dan Pariwisata", "Kepala Dinas", 0.5),
    SkpkSpec("DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi", "Kepala Dinas", 0.45),
    SkpkSpec("DPK", "Dinas Perpustakaan dan Kearsipan", "Kepala Dinas", 0.45,
             specialists=(_S("arsiparis", "Arsiparis Terampil", "fungsional_keterampilan",
                             "terampil", 3, "teknis_administrasi_perkantoran",
                             education=tpl.EDU_D3, cap=11),)),
    SkpkSpec("DKP", "Dinas Ketahanan Pangan", "Kepala Dinas", 0.45, kecamatan="11.02.12"),
    SkpkSpec("DISNAKKAN", "Dinas Peternakan dan Perikanan", "Kepala Dinas", 0.6,
             kecamatan="11.02.08"),
    SkpkSpec("SATPOLPPWH", "Satuan Polisi Pamong Praja dan Wilayatul Hisbah", "Kepala Satuan",
             0.7,
             specialists=(_S("polpp", "Polisi Pamong Praja Terampil", "fungsional_keterampilan",
                             "terampil", 28, "teknis_administrasi_perkantoran", female=0.15,
                             pppk=0.3, education=(("SMA", 0.6), ("D3", 0.4)), cap=10),)),
    SkpkSpec("SETMPU", "Sekretariat Majelis Permusyawaratan Ulama", "Kepala Sekretariat", 0.3),
    SkpkSpec("SETBAITULMAL", "Sekretariat Baitul Mal", "Kepala Sekretariat", 0.3),
    SkpkSpec("SETMAA", "Sekretariat Majelis Adat Aceh", "Kepala Sekretariat", 0.25),
)  # fmt: skip

BAGIAN = (
    ("PEM", "Bagian Tata Pemerintahan"),
    ("HUKUM", "Bagian Hukum"),
    ("ORG", "Bagian Organisasi"),
    ("EKBANG", "Bagian Perekonomian dan Pembangunan"),
    ("KESRA", "Bagian Kesejahteraan Rakyat"),
    ("UMUM", "Bagian Umum"),
)
#: SKM element names appear in the skm rulebook; these competencies follow
#: PermenPANRB 38/2017 (8 manajerial, 1 sosial kultural) plus invented teknis ones.
MANAJERIAL = (
    ("integritas", "Integritas"),
    ("kerjasama", "Kerja sama"),
    ("komunikasi", "Komunikasi"),
    ("orientasi_hasil", "Orientasi pada hasil"),
    ("pelayanan_publik", "Pelayanan publik"),
    ("pengembangan_diri", "Pengembangan diri dan orang lain"),
    ("mengelola_perubahan", "Mengelola perubahan"),
    ("pengambilan_keputusan", "Pengambilan keputusan"),
)
SOSIAL_KULTURAL = (("perekat_bangsa", "Perekat bangsa"),)
TEKNIS = (
    ("teknis_pembelajaran", "Pengelolaan pembelajaran"),
    ("teknis_manajemen_sekolah", "Manajemen sekolah"),
    ("teknis_pelayanan_kesehatan", "Pelayanan kesehatan"),
    ("teknis_keperawatan", "Asuhan keperawatan dan kebidanan"),
    ("teknis_perencanaan", "Perencanaan dan penganggaran daerah"),
    ("teknis_pengelolaan_keuangan", "Pengelolaan keuangan daerah"),
    ("teknis_administrasi_perkantoran", "Administrasi perkantoran"),
    ("teknis_pelayanan_administrasi", "Pelayanan administrasi publik"),
    ("teknis_pengawasan", "Pengawasan internal"),
    ("teknis_teknologi_informasi", "Teknologi informasi"),
)


@dataclass(slots=True)
class Organisation:
    """Units and positions, with the templates behind each position."""

    kecamatan: pd.DataFrame
    units: pd.DataFrame
    competencies: pd.DataFrame
    positions: pd.DataFrame
    standards: pd.DataFrame
    #: Internal: one row per position with its template fields and headcount.
    slots: pd.DataFrame


def kecamatan_frame() -> pd.DataFrame:
    """The 16 kecamatan with Kemendagri codes and illustrative distances."""
    return pd.DataFrame(
        {
            "code": [k[0] for k in KECAMATAN],
            "name": [k[1] for k in KECAMATAN],
            "kabupaten_code": KABUPATEN_CODE,
            "code_confirmed": False,
            "distance_km": [k[2] for k in KECAMATAN],
        }
    )


def competencies_frame() -> pd.DataFrame:
    """Competencies: 8 manajerial, 1 sosial kultural, 10 teknis."""
    rows = [(c, n, "manajerial") for c, n in MANAJERIAL]
    rows += [(c, n, "sosial_kultural") for c, n in SOSIAL_KULTURAL]
    rows += [(c, n, "teknis") for c, n in TEKNIS]
    df = pd.DataFrame(rows, columns=["code", "name", "type"])
    df["description"] = ""
    return df


def _school_counts(config: WorldConfig) -> tuple[list[int], list[int], list[int]]:
    """SD, SMP and puskesmas per kecamatan, proportional to the population weights."""
    s = config.scale.target_asn / 6000
    w = np.array([k[3] for k in KECAMATAN])
    share = w / w.sum()
    sd = np.maximum(1, np.round(150 * s * share)).astype(int)
    smp = np.maximum(1, np.round(45 * s * share)).astype(int)
    pkm = np.where(w >= 1.0, np.where(s >= 0.8, 2, 1), 1)
    if s >= 0.8:
        pkm = np.where(np.arange(len(w)) == 10, 3, pkm)  # Babussalam (Kutacane)
    return sd.tolist(), smp.tolist(), pkm.tolist()


def build_organisation(config: WorldConfig, jpm: Rulebook) -> Organisation:
    """Units, positions and competency standards for a world.

    Parameters
    ----------
    config
        The world's configuration (its scale sets the number of schools and
        puskesmas and the staff per unit).
    jpm
        The ``jpm`` rulebook, for the default standard level of each kind of
        position.
    """
    kec = kecamatan_frame()
    units: list[dict[str, object]] = [
        {
            "code": INSTANSI,
            "name": "Pemerintah Kabupaten Aceh Tenggara",
            "kind": "instansi",
            "parent": None,
            "kecamatan": CAPITAL_KECAMATAN,
            "service_unit": False,
            "workload": 0,
            "priority": False,
        }
    ]
    templates: list[tuple[str, tuple[tpl.Template, ...], float, str]] = []

    def add(code: str, name: str, kind: str, parent: str, kecamatan: str, *,
            service: bool = False, workload: int = 0, priority: bool = False) -> None:  # fmt: skip
        units.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "parent": parent,
                "kecamatan": kecamatan,
                "service_unit": service,
                "workload": workload,
                "priority": priority,
            }
        )

    for spec in SKPK:
        if spec.code == "RSUD":
            add(spec.code, spec.name, "rumah_sakit", INSTANSI, spec.kecamatan, service=True,
                workload=1)  # fmt: skip
            templates.append((spec.code, tpl.hospital_templates(), 1.0, spec.head))
            continue
        add(spec.code, spec.name, "skpk", INSTANSI, spec.kecamatan, service=spec.service,
            priority=spec.priority)  # fmt: skip
        if spec.code == "SETDAKAB":
            templates.append((spec.code, tpl.sekda_templates(), 1.0, spec.head))
            for key, name in BAGIAN:
                code = f"SETDAKAB-{key}"
                add(code, name, "bagian", "SETDAKAB", CAPITAL_KECAMATAN)
                templates.append((code, tpl.bagian_templates(), 1.0, "Kepala Bagian"))
            continue
        head_kind = "jpt_pratama" if spec.size >= 0.45 else "administrator"
        front = spec.service
        own = tpl.skpk_templates(head_kind, spec.teknis, front) + spec.specialists
        templates.append((spec.code, own, spec.size, spec.head))

    sd, smp, pkm = _school_counts(config)
    for i, (kcode, kname, _dist, _w) in enumerate(KECAMATAN):
        slug = kname.upper().replace(" ", "-")
        add(f"KEC-{slug}", f"Kantor Camat {kname}", "kecamatan", INSTANSI, kcode, service=True)
        templates.append((f"KEC-{slug}", tpl.kecamatan_templates(), 1.0, "Camat"))
        for j in range(pkm[i]):
            suffix = "" if j == 0 else f" {'I' * (j + 1)}"
            code = f"PKM-{slug}" + ("" if j == 0 else f"-{j + 1}")
            first_kutacane = kname == "Babussalam" and j == 0
            pname = "Puskesmas Kutacane" if first_kutacane else f"Puskesmas {kname}{suffix}"
            add(code, pname, "puskesmas", "DINKES", kcode, service=True, workload=1)
            templates.append((code, tpl.puskesmas_templates(), 1.0, "Kepala Puskesmas"))
        for level, count in (("SD", sd[i]), ("SMP", smp[i])):
            for j in range(count):
                code = f"{level}N-{kcode[-2:]}-{j + 1:02d}"
                add(code, f"{level} Negeri {j + 1} {kname}", "sekolah", "DISDIKBUD", kcode,
                    workload=1)  # fmt: skip
                templates.append((code, tpl.school_templates(level == "SMP"), 1.0, "Kepala"))

    unit_df = pd.DataFrame(units)
    unit_df["is_active"] = True
    slots = _slots(templates, config)
    positions, standards = _positions(slots, jpm)
    return Organisation(kec, unit_df, competencies_frame(), positions, standards, slots)


def _slots(
    templates: list[tuple[str, tuple[tpl.Template, ...], float, str]], config: WorldConfig
) -> pd.DataFrame:
    """One row per (unit, template) with the headcount scaled to the world's size."""
    rows = []
    for unit, tpls, size, head in templates:
        for order, t in enumerate(tpls):
            rows.append(
                {
                    "unit": unit,
                    "order": order,
                    "key": t.key,
                    "name": t.name.replace("{head}", head),
                    "kind": t.kind,
                    "level": t.level,
                    "tier": t.tier,
                    "base": t.count * (size if t.scalable else 1.0),
                    "scalable": t.scalable,
                    "p_pns": t.status[0],
                    "p_full": t.status[1],
                    "p_part": t.status[2],
                    "education": t.education,
                    "female": t.female,
                    "service_min": t.service[0],
                    "service_max": t.service[1],
                    "cap": t.cap,
                    "teknis": t.teknis,
                    "workplan": t.workplan,
                    "front_line": t.front_line,
                }
            )
    df = pd.DataFrame(rows)
    fixed = float(df.loc[~df["scalable"], "base"].sum())
    scalable = float(df.loc[df["scalable"], "base"].sum())
    factor = max(0.05, (config.scale.target_asn - fixed) / scalable)
    scaled = np.where(df["scalable"], np.round(df["base"] * factor), df["base"])
    # Every position keeps at least one holder: an empty jabatan is not generated.
    df["count"] = np.maximum(1, scaled).astype(np.int64)
    return df


def _standard_key(kind: str, level: str) -> str:
    if kind.startswith("fungsional"):
        return f"standard_level.fungsional_{level}"
    return f"standard_level.{kind}"


def _positions(slots: pd.DataFrame, jpm: Rulebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positions (one per unit and template) and their competency standards."""
    positions = pd.DataFrame(
        {
            "code": slots["unit"] + "." + slots["key"],
            "name": slots["name"],
            "kind": slots["kind"],
            "level": slots["level"],
            "unit": slots["unit"],
        }
    )
    levels = {
        key: jpm.integer(key)
        for key in sorted(
            {_standard_key(k, lv) for k, lv in zip(slots["kind"], slots["level"], strict=True)}
        )
        if key in jpm
    }
    std = np.array(
        [
            levels.get(_standard_key(k, lv), 1)
            for k, lv in zip(slots["kind"], slots["level"], strict=True)
        ]
    )
    # The technical standard is at least 2, so a newcomer can start one level below it.
    teknis_level = np.maximum(2, np.where(slots["kind"] == "pelaksana", std + 1, std))
    general = [c for c, _ in MANAJERIAL] + [c for c, _ in SOSIAL_KULTURAL]
    n = len(slots)
    codes = positions["code"].to_numpy()
    frames = [
        pd.DataFrame({"position": codes, "competency": c, "required_level": std}) for c in general
    ]
    frames.append(
        pd.DataFrame(
            {"position": codes, "competency": slots["teknis"], "required_level": teknis_level}
        )
    )
    standards = pd.concat(frames, ignore_index=True)
    order = np.tile(np.arange(len(frames)), 1)
    standards["_o"] = np.repeat(order, n)
    standards["_p"] = np.tile(np.arange(n), len(frames))
    standards = standards.sort_values(["_p", "_o"], kind="stable").drop(columns=["_o", "_p"])
    standards["required_level"] = standards["required_level"].astype(np.int64)
    slots["teknis_level"] = teknis_level.astype(np.int64)
    slots["position"] = codes
    return positions, standards.reset_index(drop=True)
