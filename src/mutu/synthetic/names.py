"""Indonesian names that fit Aceh Tenggara, drawn without a loop per person.

Aceh Tenggara is home to Alas, Gayo, Acehnese, Batak (Karo, Pakpak, Toba,
Mandailing), Javanese and Singkil people; most are Muslim, with a Christian
minority.  Names here mix those traditions: Alas clan names (Selian, Desky,
Pagan, Sekedang, …), Batak marga, Acehnese and Gayo names without a family
name, and Javanese names.  The shares are invented for the demo and make no
claim about the population.  Every name is a combination of common given
names and clan names; any match with a real person is chance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

StrArray = npt.NDArray[np.str_]

MUSLIM_MALE = (
    "Muhammad", "Ahmad", "Abdul", "Zulkifli", "Khairul", "Ridwan", "Rahmat", "Fauzi",
    "Iskandar", "Hasanuddin", "Mukhlis", "Irwansyah", "Azhari", "Junaidi", "Safrizal",
    "Darmawan", "Syahrul", "Hendra", "Rizki", "Fadli", "Ilham", "Taufik", "Amiruddin",
    "Jamaluddin", "Saiful", "Marzuki", "Nasrul", "Yusuf", "Ibrahim", "Ismail", "Husaini",
    "Bahtiar", "Hamdani", "Indra", "Kamaruddin", "Lukman", "Nazaruddin", "Rusli", "Salihin",
    "Armansyah", "Burhanuddin", "Erwin", "Faisal", "Haris", "Mahmud", "Sulaiman",
)  # fmt: skip
MUSLIM_MALE_SECOND = (
    "Syahputra", "Fahmi", "Akbar", "Hidayat", "Ramadhan", "Saputra", "Fadillah", "Rizal",
    "Alamsyah", "Iqbal", "Firdaus", "Kurniawan", "Hakim", "Pratama", "Maulana", "Nugraha",
    "Amin", "Arif", "Zainal", "Yusri",
)  # fmt: skip
MUSLIM_FEMALE = (
    "Siti", "Nur", "Nurul", "Rahmawati", "Fitri", "Yusnidar", "Mardiana", "Maryam",
    "Ernawati", "Rosmawati", "Zuraidah", "Yuliana", "Dewi", "Khairunnisa", "Cut", "Putri",
    "Aisyah", "Fatimah", "Halimah", "Juliana", "Lisnawati", "Marlina", "Nuraini", "Rini",
    "Suryani", "Zahara", "Intan", "Rahmi", "Safrida", "Mutia", "Ratna", "Nova", "Nur’aini",
    "Salmiah", "Hasnah", "Jamilah", "Khadijah", "Wardah",
)  # fmt: skip
MUSLIM_FEMALE_SECOND = (
    "Aminah", "Hayati", "Hidayah", "Rahma", "Wahyuni", "Handayani", "Sari", "Yanti",
    "Fitriani", "Amalia", "Maulida", "Safitri", "Ningsih", "Lestari", "Mutiara", "Zahra",
)  # fmt: skip
ALAS_CLANS = (
    "Selian", "Desky", "Pagan", "Sekedang", "Keruas", "Beruh", "Bangko", "Kepale Dese",
    "Cibero", "Menalu", "Ramin", "Munthe",
)  # fmt: skip
BATAK_MUSLIM_CLANS = ("Nasution", "Lubis", "Harahap", "Siregar", "Hasibuan", "Pohan", "Tanjung")
CHRISTIAN_CLANS = (
    "Sembiring", "Ginting", "Tarigan", "Sitepu", "Perangin-angin", "Karo-karo",
    "Simanjuntak", "Sinaga", "Manik", "Berutu", "Pinem", "Solin", "Sihombing",
)  # fmt: skip
CHRISTIAN_MALE = (
    "Yohanes", "Daniel", "Markus", "Paulus", "Robert", "Jefri", "Hendrik", "Samuel",
    "Andreas", "Rudi", "Benyamin", "Fransiskus", "André",
)  # fmt: skip
CHRISTIAN_FEMALE = (
    "Maria", "Ruth", "Ester", "Debora", "Lidia", "Yohana", "Rosita", "Friska", "Melati",
    "Sartika", "Elisabet", "Agustina", "Désy",
)  # fmt: skip
JAVANESE_MALE = ("Sugiarto", "Wahyudi", "Slamet", "Bambang", "Joko", "Supriadi", "Heru", "Eko")
JAVANESE_FEMALE = ("Sri", "Tri", "Sumarni", "Suwarni", "Endang", "Puji", "Sulastri", "Wulan")
JAVANESE_SECOND = ("Wahyuni", "Handayani", "Astuti", "Lestari", "Prasetyo", "Santoso", "Utomo")

#: Groups: (label, share, has a family name).  Shares are invented.
GROUPS: tuple[tuple[str, float], ...] = (
    ("alas", 0.40),
    ("aceh_gayo", 0.22),
    ("batak_muslim", 0.12),
    ("christian", 0.12),
    ("javanese", 0.10),
    ("other", 0.04),
)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> StrArray:
    return np.asarray(pool, dtype=np.str_)[rng.integers(0, len(pool), n)]


def person_names(rng: np.random.Generator, sex: npt.NDArray[np.str_]) -> StrArray:
    """Full names (without academic titles) for people of the given sex.

    Parameters
    ----------
    rng
        The ``names`` stream.
    sex
        ``"L"`` or ``"P"`` per person.

    Returns
    -------
    numpy.ndarray of str
        One name per person: one or two given names, then a clan name for the
        Alas, Batak and Christian groups.
    """
    n = len(sex)
    male = sex == "L"
    shares = np.array([s for _, s in GROUPS])
    group = rng.choice(len(GROUPS), size=n, p=shares / shares.sum())
    u_second = rng.random(n)
    # Draw every pool for every person, then keep the one that applies, so the
    # number of draws does not depend on the mix.
    mm, mm2 = _pick(rng, MUSLIM_MALE, n), _pick(rng, MUSLIM_MALE_SECOND, n)
    mf, mf2 = _pick(rng, MUSLIM_FEMALE, n), _pick(rng, MUSLIM_FEMALE_SECOND, n)
    cm, cf = _pick(rng, CHRISTIAN_MALE, n), _pick(rng, CHRISTIAN_FEMALE, n)
    jm, jf, j2 = (
        _pick(rng, JAVANESE_MALE, n),
        _pick(rng, JAVANESE_FEMALE, n),
        _pick(rng, JAVANESE_SECOND, n),
    )
    alas, batak, kristen = (
        _pick(rng, ALAS_CLANS, n),
        _pick(rng, BATAK_MUSLIM_CLANS, n),
        _pick(rng, CHRISTIAN_CLANS, n),
    )

    first = np.where(male, mm, mf)
    second = np.where(male, mm2, mf2)
    is_christian = group == 3
    is_javanese = group == 4
    first = np.where(is_christian, np.where(male, cm, cf), first)
    first = np.where(is_javanese, np.where(male, jm, jf), first)
    second = np.where(is_javanese, j2, second)
    # Javanese "Sri", "Tri", "Puji" and Muslim "Siti", "Nur", "Cut" rarely stand alone.
    needs_second = np.isin(first, ("Sri", "Tri", "Puji", "Siti", "Nur", "Nurul", "Cut", "Abdul"))
    has_second = needs_second | (u_second < np.where(is_christian, 0.25, 0.45))
    clan = np.full(n, "", dtype=object)
    clan = np.where(group == 0, alas, clan)
    clan = np.where(group == 2, batak, clan)
    clan = np.where(is_christian, kristen, clan)

    parts = first.astype(object)
    parts = np.where(has_second, parts + " " + second.astype(object), parts)
    parts = np.where(clan != "", parts + " " + clan.astype(object), parts)
    return parts.astype(np.str_)


def mentor_names(rng: np.random.Generator, n: int) -> list[str]:
    """Names with academic titles for university lecturers who mentor interns."""
    sex = np.where(rng.random(n) < 0.45, "P", "L").astype(np.str_)
    base = person_names(rng, sex)
    titles = np.asarray(("Dr. ", "", "", "Ir. ", ""), dtype=object)[rng.integers(0, 5, n)]
    post = np.asarray((", S.P., M.Si.", ", S.E., M.M.", ", S.T., M.T.", ", S.Pd., M.Pd."))[
        rng.integers(0, 4, n)
    ]
    return [f"{t}{b}{p}" for t, b, p in zip(titles, base, post, strict=True)]
