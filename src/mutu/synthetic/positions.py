"""Position templates: which jabatan each kind of unit has, and who holds them.

A template says what a position is (kind and level, as in
``people.Position``), how many people hold it in a unit of a given kind, and
how its holders are drawn: status (PNS, full-time PPPK, part-time PPPK),
education, share of women, years of service, the golongan ceiling, and the
technical competency its standard names.  Headcounts and mixes are invented
to look like a regency's civil service; they are not Aceh Tenggara's figures.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Education mixes used by several templates.
EDU_SMA_D3_S1 = (("SMA", 0.55), ("D3", 0.2), ("S1", 0.25))
EDU_S1 = (("S1", 0.92), ("S2", 0.08))
EDU_S1_S2 = (("S1", 0.55), ("S2", 0.45))
EDU_MOSTLY_S2 = (("S1", 0.35), ("S2", 0.65))
EDU_D3 = (("D3", 1.0),)
EDU_D4_S1 = (("D4", 0.3), ("S1", 0.7))


@dataclass(frozen=True, slots=True)
class Template:
    """One position in a kind of unit.

    Attributes
    ----------
    key
        Suffix of the position code (``<unit code>.<key>``).
    name
        Position name; ``{head}`` is replaced by the unit's head title.
    kind, level
        ``people.Position.kind`` and ``level`` values.
    tier
        0 head of the unit, 1 second line, 2 third line (pengawas), 3 staff;
        a holder's supervisor is someone of the nearest lower tier in the unit.
    count
        Holders per unit at kabupaten scale before the unit's size factor.
    scalable
        Whether ``count`` scales with the unit's size and the world's scale.
    status
        Probabilities of PNS, full-time PPPK and part-time PPPK.
    education
        (level, probability) pairs.
    female
        Share of women.
    service
        Range of years of service at the end of the window for PNS holders.
    cap
        Highest PNS golongan rank the holder can reach (1 = I/a … 17 = IV/e).
    teknis
        Code of the technical competency in the position's standard.
    workplan
        Whether the holder writes work plans (good-governance training target).
    front_line
        Whether the holder serves the public (public-service training target).
    """

    key: str
    name: str
    kind: str
    level: str
    tier: int
    count: int
    scalable: bool
    status: tuple[float, float, float]
    education: tuple[tuple[str, float], ...]
    female: float
    service: tuple[int, int]
    cap: int
    teknis: str
    workplan: bool = False
    front_line: bool = False


PNS = (1.0, 0.0, 0.0)
PELAKSANA_MIX = (0.42, 0.06, 0.52)


def _pelaksana(teknis: str, front: bool, scale: float = 1.0) -> tuple[Template, ...]:
    return (
        Template(
            "pengadministrasi", "Pengadministrasi Perkantoran", "pelaksana", "klerek", 3,
            round(16 * scale), True, PELAKSANA_MIX, EDU_SMA_D3_S1, 0.5, (2, 30), 11,
            "teknis_administrasi_perkantoran", front_line=front,
        ),
        Template(
            "operator", "Operator Layanan Operasional", "pelaksana", "operator", 3,
            round(10 * scale), True, (0.25, 0.05, 0.70), EDU_SMA_D3_S1, 0.45, (2, 25), 10,
            teknis, front_line=front,
        ),
        Template(
            "penata_layanan", "Penata Layanan Operasional", "pelaksana", "teknisi", 3,
            round(4 * scale), True, (0.6, 0.1, 0.3), (("D3", 0.4), ("S1", 0.6)), 0.45,
            (2, 28), 12, teknis, front_line=front,
        ),
    )  # fmt: skip


def skpk_templates(head_kind: str, teknis: str, front: bool) -> tuple[Template, ...]:
    """The positions of a dinas, badan or sekretariat (without its specialists)."""
    head_service = (20, 34) if head_kind == "jpt_pratama" else (14, 30)
    head_cap = 15 if head_kind == "jpt_pratama" else 14
    return (
        Template("kepala", "{head}", head_kind, "", 0, 1, False, PNS, EDU_MOSTLY_S2, 0.2,
                 head_service, head_cap, teknis),
        Template("sekretaris", "Sekretaris", "administrator", "", 1, 1, False, PNS, EDU_S1_S2,
                 0.35, (14, 32), 14, teknis, workplan=True),
        Template("kabid", "Kepala Bidang", "administrator", "", 1, 3, False, PNS, EDU_S1_S2,
                 0.35, (14, 32), 14, teknis, workplan=True),
        Template("kasubbag_program", "Kepala Sub Bagian Program dan Keuangan", "pengawas", "", 2,
                 1, False, PNS, EDU_S1, 0.45, (8, 30), 13, "teknis_perencanaan", workplan=True),
        Template("kasubbag_umum", "Kepala Sub Bagian Umum dan Kepegawaian", "pengawas", "", 2,
                 1, False, PNS, EDU_S1, 0.45, (8, 30), 13, "teknis_administrasi_perkantoran"),
        Template("kasi", "Kepala Seksi", "pengawas", "", 2, 3, False, PNS, EDU_S1, 0.4,
                 (8, 30), 13, teknis, workplan=True, front_line=front),
        Template("perencana", "Perencana Ahli Pertama", "fungsional_keahlian", "ahli_pertama", 3,
                 1, False, PNS, EDU_S1, 0.5, (4, 12), 11, "teknis_perencanaan", workplan=True),
        Template("analis", "Analis Kebijakan Ahli Muda", "fungsional_keahlian", "ahli_muda", 3,
                 1, False, PNS, EDU_S1_S2, 0.45, (8, 24), 13, teknis),
        Template("pranata_komputer", "Pranata Komputer Terampil", "fungsional_keterampilan",
                 "terampil", 3, 1, False, (0.7, 0.3, 0.0), EDU_D3, 0.35, (2, 20), 11,
                 "teknis_teknologi_informasi"),
        *_pelaksana(teknis, front),
    )  # fmt: skip


def specialist(key: str, name: str, kind: str, level: str, count: int, teknis: str,
               *, front: bool = False, female: float = 0.45, pppk: float = 0.2,
               education: tuple[tuple[str, float], ...] = EDU_S1,
               service: tuple[int, int] = (2, 20), cap: int = 12) -> Template:  # fmt: skip
    """A functional position specific to one unit (auditor, penyuluh, …)."""
    return Template(key, name, kind, level, 3, count, True, (1 - pppk, pppk, 0.0), education,
                    female, service, cap, teknis, front_line=front)  # fmt: skip


def school_templates(smp: bool) -> tuple[Template, ...]:
    """Positions of a state primary (SD) or junior secondary (SMP) school."""
    k = 1.8 if smp else 1.0
    guru_mix = (0.3, 0.7, 0.0)
    return (
        Template("kepala", "Kepala Sekolah (Guru Ahli Madya)", "fungsional_keahlian",
                 "ahli_madya", 0, 1, False, PNS, (("S1", 0.88), ("S2", 0.12)), 0.5, (12, 32),
                 14, "teknis_manajemen_sekolah", workplan=True),
        Template("guru_pertama", "Guru Ahli Pertama", "fungsional_keahlian", "ahli_pertama", 3,
                 round(4 * k), True, guru_mix, (("S1", 1.0),), 0.68, (0, 7), 10,
                 "teknis_pembelajaran"),
        Template("guru_muda", "Guru Ahli Muda", "fungsional_keahlian", "ahli_muda", 3,
                 round(3 * k), True, PNS, EDU_S1, 0.66, (8, 20), 12, "teknis_pembelajaran"),
        Template("guru_madya", "Guru Ahli Madya", "fungsional_keahlian", "ahli_madya", 3,
                 round(2 * k), True, PNS, EDU_S1, 0.62, (16, 34), 13, "teknis_pembelajaran"),
        Template("tas", "Pengadministrasi Perkantoran", "pelaksana", "klerek", 3,
                 round(1 * k), True, (0.2, 0.0, 0.8), EDU_SMA_D3_S1, 0.55, (2, 25), 10,
                 "teknis_administrasi_perkantoran"),
        Template("operator", "Operator Layanan Operasional", "pelaksana", "operator", 3,
                 1, False, (0.0, 0.0, 1.0), EDU_SMA_D3_S1, 0.5, (2, 20), 10,
                 "teknis_teknologi_informasi"),
    )  # fmt: skip


def health_staff(scale: float, front: bool) -> tuple[Template, ...]:
    """Clinical functional positions of a puskesmas (scale 1) or the hospital."""
    mix = (0.5, 0.3, 0.2)

    def n(x: float) -> int:
        return max(1, round(x * scale))

    return (
        specialist("dokter", "Dokter Ahli Pertama", "fungsional_keahlian", "ahli_pertama",
                   n(2), "teknis_pelayanan_kesehatan", front=front, female=0.55, pppk=0.3,
                   service=(0, 12), cap=12),
        Template("perawat_terampil", "Perawat Terampil", "fungsional_keterampilan", "terampil",
                 3, n(6), True, mix, EDU_D3, 0.7, (0, 24), 11, "teknis_keperawatan",
                 front_line=front),
        specialist("perawat_ahli", "Perawat Ahli Pertama", "fungsional_keahlian",
                   "ahli_pertama", n(3), "teknis_keperawatan", front=front, female=0.7,
                   pppk=0.3, service=(0, 14), cap=12),
        Template("bidan_terampil", "Bidan Terampil", "fungsional_keterampilan", "terampil", 3,
                 n(7), True, mix, EDU_D3, 1.0, (0, 24), 11, "teknis_keperawatan",
                 front_line=front),
        specialist("bidan_ahli", "Bidan Ahli Pertama", "fungsional_keahlian", "ahli_pertama",
                   n(2), "teknis_keperawatan", front=front, female=1.0, pppk=0.3,
                   education=EDU_D4_S1, service=(0, 14), cap=12),
        specialist("farmasi", "Tenaga Teknis Kefarmasian Terampil", "fungsional_keterampilan",
                   "terampil", n(1), "teknis_pelayanan_kesehatan", front=front, female=0.7,
                   education=EDU_D3, cap=11),
        specialist("lab", "Pranata Laboratorium Kesehatan Terampil", "fungsional_keterampilan",
                   "terampil", n(1), "teknis_pelayanan_kesehatan", front=front, female=0.6,
                   education=EDU_D3, cap=11),
        specialist("nutrisionis", "Nutrisionis Terampil", "fungsional_keterampilan",
                   "terampil", n(1), "teknis_pelayanan_kesehatan", front=front, female=0.8,
                   education=EDU_D3, cap=11),
    )  # fmt: skip


def puskesmas_templates() -> tuple[Template, ...]:
    """Positions of a community health centre."""
    return (
        Template("kepala", "Kepala Puskesmas", "pengawas", "", 0, 1, False, PNS,
                 (("S1", 0.8), ("S2", 0.2)), 0.5, (10, 30), 13, "teknis_pelayanan_kesehatan",
                 workplan=True, front_line=True),
        Template("kasubbag_tu", "Kepala Sub Bagian Tata Usaha", "pengawas", "", 2, 1, False,
                 PNS, EDU_S1, 0.5, (8, 28), 13, "teknis_administrasi_perkantoran",
                 front_line=True),
        specialist("sanitarian", "Sanitarian Terampil", "fungsional_keterampilan", "terampil",
                   1, "teknis_pelayanan_kesehatan", front=True, education=EDU_D3, cap=11),
        specialist("promkes", "Penyuluh Kesehatan Masyarakat Ahli Pertama",
                   "fungsional_keahlian", "ahli_pertama", 1, "teknis_pelayanan_kesehatan",
                   front=True, female=0.6),
        *health_staff(1.0, True),
        *_pelaksana("teknis_pelayanan_kesehatan", True, 0.2),
    )  # fmt: skip


def hospital_templates() -> tuple[Template, ...]:
    """Positions of the regency hospital (RSUD)."""
    return (
        Template("kepala", "Direktur", "jpt_pratama", "", 0, 1, False, PNS, EDU_MOSTLY_S2, 0.3,
                 (18, 32), 15, "teknis_pelayanan_kesehatan"),
        Template("kabid", "Kepala Bidang", "administrator", "", 1, 4, False, PNS, EDU_S1_S2,
                 0.45, (14, 30), 14, "teknis_pelayanan_kesehatan", workplan=True),
        Template("kasubbag_program", "Kepala Sub Bagian Program dan Keuangan", "pengawas", "",
                 2, 1, False, PNS, EDU_S1, 0.45, (8, 30), 13, "teknis_perencanaan",
                 workplan=True),
        Template("kasi", "Kepala Seksi", "pengawas", "", 2, 6, False, PNS, EDU_S1, 0.55,
                 (8, 30), 13, "teknis_pelayanan_kesehatan", front_line=True),
        specialist("spesialis", "Dokter Spesialis (Dokter Ahli Muda)", "fungsional_keahlian",
                   "ahli_muda", 14, "teknis_pelayanan_kesehatan", front=True, female=0.4,
                   pppk=0.1, education=(("S2", 1.0),), service=(4, 26), cap=14),
        *health_staff(12.0, True),
        specialist("radiografer", "Radiografer Terampil", "fungsional_keterampilan",
                   "terampil", 4, "teknis_pelayanan_kesehatan", front=True, education=EDU_D3,
                   cap=11),
        *_pelaksana("teknis_pelayanan_kesehatan", True, 1.8),
    )  # fmt: skip


def kecamatan_templates() -> tuple[Template, ...]:
    """Positions of a district office (kantor camat)."""
    teknis = "teknis_pelayanan_administrasi"
    return (
        Template("kepala", "Camat", "administrator", "", 0, 1, False, PNS, EDU_S1_S2, 0.15,
                 (14, 32), 14, teknis, workplan=True),
        Template("sekretaris", "Sekretaris Kecamatan", "administrator", "", 1, 1, False, PNS,
                 EDU_S1_S2, 0.3, (12, 30), 13, teknis, workplan=True),
        Template("kasi", "Kepala Seksi", "pengawas", "", 2, 4, False, PNS, EDU_S1, 0.35,
                 (8, 30), 13, teknis, front_line=True),
        *_pelaksana(teknis, True, 0.45),
    )  # fmt: skip


def bagian_templates() -> tuple[Template, ...]:
    """Positions of a bagian of the Sekretariat Daerah."""
    teknis = "teknis_administrasi_perkantoran"
    return (
        Template("kepala", "Kepala Bagian", "administrator", "", 0, 1, False, PNS, EDU_S1_S2,
                 0.3, (14, 32), 14, teknis, workplan=True),
        Template("kasubbag", "Kepala Sub Bagian", "pengawas", "", 2, 1, False, PNS, EDU_S1,
                 0.45, (8, 30), 13, teknis),
        Template("analis", "Analis Kebijakan Ahli Pertama", "fungsional_keahlian",
                 "ahli_pertama", 3, 1, False, PNS, EDU_S1, 0.5, (4, 12), 11, teknis),
        *_pelaksana(teknis, False, 0.35),
    )  # fmt: skip


def sekda_templates() -> tuple[Template, ...]:
    """The Sekretaris Daerah's own office (the bagian are sub-units)."""
    teknis = "teknis_administrasi_perkantoran"
    return (
        Template("kepala", "Sekretaris Daerah", "jpt_pratama", "", 0, 1, False, PNS,
                 (("S2", 1.0),), 0.1, (24, 34), 16, teknis),
        Template("asisten", "Asisten Sekretaris Daerah", "jpt_pratama", "", 1, 3, False, PNS,
                 EDU_MOSTLY_S2, 0.2, (20, 34), 15, teknis),
        *_pelaksana(teknis, False, 0.2),
    )  # fmt: skip
