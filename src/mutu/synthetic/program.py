"""The program as the regency runs it: partners, programs, goals, activities, sessions.

Activity lines (per year, at kabupaten scale; fewer classes in a smaller world):

=========  ======================================================  ========  =======
line       what                                                    classes   JP
=========  ======================================================  ========  =======
PMPP       public-service management training, quarterly           16 × 30   24
TKPB       good-governance / work-plan training (incl. Disdikbud)   4 × 30   32
SEMINT     integrity seminar (with the NGO, Inspektorat)            1 × 150   8
SEMPP      inclusive public-service seminar (NGO)                   1 × 80    8
WSSKP      workshop on SKP and performance indicators               2 × 40   16
WSARSIP    workshop on digital records                              1 × 40   16
ELDIG      e-learning, digital literacy                             1 × 250  10
ELASN      e-learning, ASN management under UU 20/2023              1 × 250  10
NGOYAN     gender-responsive and inclusive service (NGO)            1 × 30   24
PKP        leadership training for pengawas (BPSDM Aceh)           1 × 30   80
PKA        leadership training for administrators (BPSDM Aceh)      1 × 8    96
MAGANG     internship of young PNS at Universitas Gunung Leuser     2 × 20    60
=========  ======================================================  ========  =======

The partners are Universitas Gunung Leuser and BPSDM Aceh (named in
asn-rules.md), an invented NGO, and LAN.  Agreement numbers, venues, dates and
trainers are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mutu.domain.development_forms import get_form
from mutu.synthetic.config import CAPITAL_KECAMATAN, WorldConfig
from mutu.synthetic.names import person_names
from mutu.synthetic.util import day, days_to_datetime

UGL = "Universitas Gunung Leuser"
BPSDM = "BPSDM Aceh"
NGO = "Lembaga Kajian Pelayanan Publik Alas Leuser"
LAN = "Lembaga Administrasi Negara"
BKPSDM_ORG = "BKPSDM Kabupaten Aceh Tenggara"


@dataclass(frozen=True, slots=True)
class Line:
    """A recurring kind of activity; ``classes`` per year at kabupaten scale."""

    code: str
    program: str
    title: str
    form: str
    days: int
    sessions_per_day: int
    session_minutes: int
    classes: int
    capacity: int
    months: tuple[int, ...]
    partner: str | None
    organiser: str
    venue: str
    kecamatan: str | None
    intercept: float
    test: str | None = None
    reaction: bool = True
    offers: bool = False
    weekly: bool = False
    jp: float | None = None


KUTACANE_HALL = "Aula BKPSDM, Kutacane"
LINES: tuple[Line, ...] = (
    Line("PMPP", "PMPP", "Pelatihan Manajemen Pelayanan Publik", "pelatihan_manajerial", 3, 2,
         180, 16, 30, (2, 5, 8, 10), BPSDM, BKPSDM_ORG, KUTACANE_HALL, CAPITAL_KECAMATAN, 1.5,
         test="PMPP", offers=True),
    Line("TKPB", "TKPB", "Pelatihan Tata Kelola Pemerintahan yang Baik dan Penyusunan Rencana "
         "Kerja", "pelatihan_teknis", 4, 2, 180, 4, 30, (4, 5, 6, 7), UGL, BKPSDM_ORG,
         KUTACANE_HALL, CAPITAL_KECAMATAN, 2.2, test="TKPB"),
    Line("SEMINT", "PKSW", "Seminar Integritas dan Pencegahan Korupsi", "seminar", 1, 2, 180, 1,
         150, (12,), NGO, "Inspektorat Kabupaten Aceh Tenggara", "Gedung Serbaguna Kutacane",
         CAPITAL_KECAMATAN, 1.0, offers=True),
    Line("SEMPP", "PKSW", "Seminar Pelayanan Publik Inklusif", "seminar", 1, 2, 180, 1, 80,
         (3,), NGO, BKPSDM_ORG, "Gedung Serbaguna Kutacane", CAPITAL_KECAMATAN, 1.0,
         offers=True),
    Line("WSSKP", "PKSW", "Workshop Penyusunan SKP dan Indikator Kinerja", "workshop", 2, 2,
         180, 2, 40, (2, 9), None, BKPSDM_ORG, KUTACANE_HALL, CAPITAL_KECAMATAN, 1.3,
         offers=True),
    Line("WSARSIP", "PKSW", "Workshop Pengelolaan Arsip Dinamis Digital", "workshop", 2, 2, 180,
         1, 40, (7,), None, "Dinas Perpustakaan dan Kearsipan", KUTACANE_HALL,
         CAPITAL_KECAMATAN, 1.3, offers=True),
    Line("ELDIG", "PKSW", "E-learning Literasi Digital dan Keamanan Informasi", "e_learning", 5,
         1, 90, 1, 250, (4,), LAN, BKPSDM_ORG, "Daring (LMS BKPSDM)", None, 0.8, offers=True,
         weekly=True, reaction=False),
    Line("ELASN", "PKSW", "E-learning Manajemen ASN menurut UU 20/2023", "e_learning", 5, 1, 90,
         1, 250, (9,), LAN, BKPSDM_ORG, "Daring (LMS BKPSDM)", None, 0.8, offers=True,
         weekly=True, reaction=False),
    Line("NGOYAN", "PKSW", "Pelatihan Pelayanan Responsif Gender dan Inklusi Disabilitas",
         "pelatihan_teknis", 3, 2, 180, 1, 30, (6,), NGO, NGO, KUTACANE_HALL, CAPITAL_KECAMATAN,
         1.4),
    Line("PKP", "PIMPIN", "Pelatihan Kepemimpinan Pengawas (PKP)", "pkp", 10, 2, 180, 1, 30,
         (6,), BPSDM, BPSDM, "Kampus BPSDM Aceh, Banda Aceh", None, 3.5),
    Line("PKA", "PIMPIN", "Pelatihan Kepemimpinan Administrator (PKA)", "pka", 12, 2, 180, 1, 8,
         (7,), BPSDM, BPSDM, "Kampus BPSDM Aceh, Banda Aceh", None, 3.5),
    Line("MAGANG", "MAGANG", "Magang ASN Muda di Universitas Gunung Leuser", "magang", 2, 1,
         240, 2, 20, (3, 9), UGL, BKPSDM_ORG, "Universitas Gunung Leuser, Kutacane",
         CAPITAL_KECAMATAN, 3.5, reaction=False, jp=60.0),
)  # fmt: skip
LINE_BY_CODE = {line.code: line for line in LINES}

PROGRAMS = (
    ("PMPP", "Pelatihan Manajemen Pelayanan Publik (berkala triwulanan)", "quarterly",
     "Pelatihan berkala bagi petugas layanan di unit layanan publik yang mengikuti program."),
    ("TKPB", "Pelatihan Tata Kelola Pemerintahan yang Baik", "annual",
     "Penyusunan rencana kerja dan anggaran yang baik, termasuk staf Dinas Pendidikan dan "
     "kepala sekolah."),
    ("PKSW", "Seminar, Workshop dan E-learning Pengembangan Kompetensi", "",
     "Seminar integritas, workshop, e-learning dan kegiatan bersama mitra LSM."),
    ("PIMPIN", "Pelatihan Kepemimpinan bersama BPSDM Aceh", "annual",
     "Pelatihan Kepemimpinan Pengawas dan Administrator."),
    ("MAGANG", "Magang ASN Muda bersama Universitas Gunung Leuser", "semiannual",
     "Penempatan ASN muda selama tiga bulan di Universitas Gunung Leuser."),
)  # fmt: skip
PROGRAM_COMPETENCIES = {
    "PMPP": ("pelayanan_publik", "komunikasi", "teknis_pelayanan_administrasi"),
    "TKPB": ("orientasi_hasil", "pengambilan_keputusan", "teknis_perencanaan"),
    "PKSW": ("integritas", "pengembangan_diri", "teknis_teknologi_informasi"),
    "PIMPIN": ("pengambilan_keputusan", "mengelola_perubahan", "kerjasama"),
    "MAGANG": ("pengembangan_diri", "teknis_pembelajaran", "teknis_pelayanan_kesehatan"),
}
GOALS = (
    ("PMPP", "professionalism", "Mutu layanan unit yang mengikuti program meningkat.",
     "Rata-rata IKM unit layanan peserta program", 77.5, 80.0, "poin IKM",
     "ikm_program_units", ""),
    ("PMPP", "competence", "Peserta menguasai materi manajemen pelayanan publik.",
     "Rata-rata nilai post-test", None, 70.0, "poin (0-100)", "posttest_mean", ""),
    ("TKPB", "competence", "Rencana kerja yang disusun peserta lebih baik.",
     "Skor kualitas rencana kerja menurut atasan (1-5)", 3.0, 3.4, "skor",
     "workplan_quality_after", ""),
    ("PKSW", "continuous_learning", "Lebih banyak PNS memenuhi 20 JP per tahun.",
     "Persentase PNS dengan minimal 20 JP", 15.0, 40.0, "%", "jp_pns_share", ""),
    ("PKSW", "integrity", "ASN memahami pencegahan korupsi dan gratifikasi.",
     "Jumlah peserta seminar integritas per tahun", None, 150.0, "orang", "completers",
     "SEMINT"),
    ("PKSW", "integrity", "Pelanggaran disiplin ASN menurun.",
     "Persentase ASN yang dijatuhi hukuman disiplin", 0.15, 0.10, "%", "discipline_share", ""),
    ("PKSW", "professionalism", "Profesionalitas ASN meningkat.",
     "Rata-rata Indeks Profesionalitas ASN", 45.0, 50.0, "poin IP ASN", "ip_asn_mean", ""),
    ("PKSW", "competence", "Kompetensi ASN makin sesuai dengan jabatannya.",
     "Rata-rata job-person match", 60.0, 70.0, "%", "jpm_mean", ""),
    ("PIMPIN", "competence", "Pejabat pengawas dan administrator telah mengikuti PKP/PKA.",
     "Persentase pejabat bersertifikat PKP/PKA", 25.0, 40.0, "%",
     "leadership_certified_share", ""),
    ("MAGANG", "competence", "ASN muda mencapai standar kompetensi jabatan lebih cepat.",
     "Median bulan sejak pengangkatan hingga standar kompetensi", 22.0, 18.0, "bulan",
     "magang_median_months", ""),
)  # fmt: skip
TOPICS = {
    "PMPP": ("Standar pelayanan dan maklumat", "Survei kepuasan masyarakat",
             "Pengelolaan pengaduan", "Budaya melayani BerAKHLAK", "Inovasi pelayanan",
             "Rencana aksi unit layanan"),
    "TKPB": ("Prinsip tata kelola yang baik", "Renstra dan Renja", "Indikator kinerja SMART",
             "Penganggaran berbasis kinerja", "RKAS dan rencana kerja sekolah",
             "Akuntabilitas kinerja (SAKIP)", "Pengendalian dan evaluasi", "Praktik penyusunan"),
}  # fmt: skip
DEFAULT_TOPICS = ("Materi inti", "Diskusi dan praktik", "Studi kasus", "Evaluasi")


def partners_frame(config: WorldConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partners and their agreements (MoU / PKS)."""
    partners = pd.DataFrame(
        {
            "name": [UGL, BPSDM, NGO, LAN],
            "kind": ["university", "bpsdm", "ngo", "lan"],
            "contact": [
                "Kantor Kerja Sama, Universitas Gunung Leuser, Kutacane",
                "Bidang Pengembangan Kompetensi, BPSDM Aceh, Banda Aceh",
                "Sekretariat lembaga, Kutacane (lembaga fiktif untuk data demo)",
                "Pusat Pembelajaran, LAN, Jakarta",
            ],
            "is_active": True,
        }
    )
    y0, y1 = config.years
    agreements = pd.DataFrame(
        {
            "partner": [UGL, UGL, BPSDM, NGO],
            "number": [
                f"070/012/BKPSDM/{y0 - 1}",
                f"070/045/BKPSDM/{y0}",
                f"800/231/BKPSDM/{y0}",
                f"070/077/BKPSDM/{y0}",
            ],
            "title": [
                "Nota kesepahaman pengembangan SDM aparatur",
                "Perjanjian kerja sama magang ASN muda",
                "Perjanjian kerja sama penyelenggaraan pelatihan kepemimpinan",
                "Nota kesepahaman peningkatan mutu pelayanan publik",
            ],
            "start": days_to_datetime(
                np.array(
                    [f"{y0 - 1}-11-01", f"{y0}-01-15", f"{y0}-02-01", f"{y0}-02-10"],
                    dtype="datetime64[D]",
                )
            ),
            "end": days_to_datetime(
                np.array(
                    [f"{y1 + 1}-10-31", f"{y1}-12-31", f"{y1}-12-31", f"{y1}-12-31"],
                    dtype="datetime64[D]",
                )
            ),
            "quota": pd.array([None, 60, 40, None], dtype="Int64"),
            "contact_person": ["Wakil Rektor IV", "Dekan FKIP", "Kepala Bidang PKMS", "Direktur"],
        }
    )
    return partners, agreements


def programs_frames(config: WorldConfig) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Programs, their goals and their target competencies."""
    y0, y1 = config.years
    programs = pd.DataFrame(
        {
            "code": [p[0] for p in PROGRAMS],
            "name": [p[1] for p in PROGRAMS],
            "description": [p[3] for p in PROGRAMS],
            "period_start": days_to_datetime(
                np.full(len(PROGRAMS), f"{y0}-01-01", "datetime64[D]")
            ),
            "period_end": days_to_datetime(np.full(len(PROGRAMS), f"{y1}-12-31", "datetime64[D]")),
            "owner_unit": "BKPSDM",
            "is_recurring": [bool(p[2]) for p in PROGRAMS],
            "recurrence": [p[2] for p in PROGRAMS],
        }
    )
    goals = pd.DataFrame(
        {
            "program": [g[0] for g in GOALS],
            "dimension": [g[1] for g in GOALS],
            "statement": [g[2] for g in GOALS],
            "indicator": [g[3] for g in GOALS],
            "baseline": pd.array([g[4] for g in GOALS], dtype="Float64"),
            "target": pd.array([g[5] for g in GOALS], dtype="Float64"),
            "unit_of_measure": [g[6] for g in GOALS],
            "metric": [g[7] for g in GOALS],
            "activity_series": [g[8] for g in GOALS],
        }
    )
    comp = pd.DataFrame(
        [(p, c) for p, cs in PROGRAM_COMPETENCIES.items() for c in cs],
        columns=["program", "competency"],
    )
    return programs, goals, comp


def _trainers(rng: np.random.Generator, n: int) -> list[str]:
    sex = np.where(rng.random(n) < 0.4, "P", "L").astype(np.str_)
    names = person_names(rng, sex)
    titles = np.asarray((", S.Sos., M.Si.", ", S.E., M.M.", ", S.H., M.H.", ", S.Pd., M.Pd."))
    return [f"{a}{b}" for a, b in zip(names, titles[rng.integers(0, 4, n)], strict=True)]


def plan_activities(
    config: WorldConfig, rng: np.random.Generator, minutes_per_jp: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every activity of the window with its sessions.

    Classes of a line are spread over its months; within a month the j-th
    class starts on the j-th Monday (plus 0-1 day).  Sessions are weekdays,
    08:00-11:00 and 13:00-16:00 (4 JP each at the ``jp`` rulebook's 45 minutes
    per JP, passed as ``minutes_per_jp``); e-learning modules are weekly.
    """
    trainers = _trainers(rng, 40)
    acts: list[dict[str, object]] = []
    sess: list[dict[str, object]] = []
    for year in config.year_list:
        for line in LINES:
            n = max(1, round(line.classes * config.scale.class_factor))
            if line.code == "MAGANG":
                n = 2
            per_month: dict[int, int] = {}
            for k in range(n):
                month = line.months[(k * len(line.months)) // n]
                week = per_month.get(month, 0)
                per_month[month] = week + 1
                first = day(year, month, 1).reshape(-1)[0]
                monday = np.busday_offset(first, 0, roll="forward", weekmask="Mon")
                start = np.asarray(monday, dtype="datetime64[D]").reshape(-1)[0]
                start = start + 7 * week + int(rng.integers(0, 2))
                if line.code == "MAGANG":
                    start = np.asarray(
                        np.busday_offset(first, 0, roll="forward"), dtype="datetime64[D]"
                    ).reshape(-1)[0]
                code = f"{line.code}-{year}-{k + 1:02d}"
                days = _session_days(line, start)
                title = f"{line.title} Angkatan {k + 1} Tahun {year}"
                if line.code == "PMPP":
                    title = f"{line.title} Triwulan {line.months.index(month) + 1} {year} " \
                            f"Kelas {week + 1}"  # fmt: skip
                minutes = line.days * line.sessions_per_day * line.session_minutes
                jp = line.jp if line.jp is not None else minutes / minutes_per_jp
                end = days[-1]
                if line.code == "MAGANG":
                    end = (first.astype("datetime64[M]") + 3).astype("datetime64[D]") - 1
                    days = np.array([start, np.busday_offset(end, 0, roll="backward")])
                acts.append(
                    {
                        "code": code,
                        "program": line.program,
                        "title": title,
                        "form": get_form(line.form).code,
                        "jp": float(jp),
                        "venue": line.venue,
                        "kecamatan": line.kecamatan,
                        "organiser": line.organiser,
                        "partner": line.partner,
                        "capacity": line.capacity,
                        "start_date": start,
                        "end_date": end,
                        "status": "done",
                        "line": line.code,
                        "year": year,
                    }
                )
                topics = TOPICS.get(line.code, DEFAULT_TOPICS)
                for s, d in enumerate(_session_starts(line, days)):
                    sess.append(
                        {
                            "activity": code,
                            "session_no": s + 1,
                            "starts_at": d,
                            "ends_at": d + np.timedelta64(line.session_minutes, "m"),
                            "topic": topics[s % len(topics)],
                            "trainer_name": trainers[int(rng.integers(0, len(trainers)))],
                        }
                    )
    activities = pd.DataFrame(acts)
    activities["start_date"] = days_to_datetime(activities["start_date"].to_numpy())
    activities["end_date"] = days_to_datetime(activities["end_date"].to_numpy())
    activities["capacity"] = activities["capacity"].astype("Int64")
    activities["year"] = activities["year"].astype(np.int64)
    sessions = pd.DataFrame(sess)
    sessions["starts_at"] = sessions["starts_at"].to_numpy().astype("datetime64[ms]")
    sessions["ends_at"] = sessions["ends_at"].to_numpy().astype("datetime64[ms]")
    sessions["session_no"] = sessions["session_no"].astype(np.int64)
    return activities, sessions


def _session_days(line: Line, start: np.datetime64) -> np.ndarray:
    if line.weekly:
        return np.busday_offset(start + 7 * np.arange(line.days), 0, roll="forward")
    return np.busday_offset(start, np.arange(line.days), roll="forward")


def _session_starts(line: Line, days: np.ndarray) -> list[np.datetime64]:
    out: list[np.datetime64] = []
    clock = (("08:00",), ("08:00", "13:00"))[min(line.sessions_per_day, 2) - 1]
    if line.weekly:
        clock = ("09:00",)
    for d in days:
        for hhmm in clock:
            out.append(np.datetime64(f"{np.datetime_as_string(d, unit='D')}T{hhmm}", "m"))
    return out
