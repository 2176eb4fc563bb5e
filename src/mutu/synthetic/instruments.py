"""The instruments: scales, versions, items (with a reverse-keyed item), options and keys.

=================  ==================  =========  ==========================================
code               kind                anonymous  items
=================  ==================  =========  ==========================================
REAKSI             reaction            yes        R1-R6 on 1-5 (R4 reverse-keyed), R7 text
TEST-PMPP-PRE      pre_test            no         20 multiple choice A-D (v1; v2 revised)
TEST-PMPP-POST     post_test           no         the same items as the pre-test version
TEST-TKPB-PRE      pre_test            no         15 multiple choice A-D
TEST-TKPB-POST     post_test           no         the same items
EFIKASI            self_efficacy       no         E1-E5 on 1-5
PENILAIAN-ATASAN   supervisor_rating   no         P1-P4 work behaviour, K1-K4 work-plan quality
SKM                skm                 yes        U1-U9 on 1-4 (PermenPANRB 14/2017)
=================  ==================  =========  ==========================================

Pre- and post-test of one version share their items and answer keys, so a
zero learning effect gives exactly equal expected scores.  Item difficulties
(for the item-response model of ``learning.py``) are drawn here, once per
test version; answer keys are drawn uniformly from A-D.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mutu.rulebooks import Rulebook
from mutu.synthetic.config import WorldConfig

LIKERT5 = "Likert 1-5 (setuju)"
QUALITY5 = "Kualitas 1-5"
SKM4 = "SKM 1-4"
OPTIONS = ("A", "B", "C", "D")

REACTION_ITEMS = (
    (
        "R1",
        "Materi pelatihan relevan dengan pekerjaan saya.",
        "The content is relevant to my job.",
        0.1,
    ),
    ("R2", "Materi disampaikan dengan jelas.", "The content was presented clearly.", 0.0),
    ("R3", "Fasilitator menguasai materi.", "The facilitator knew the subject.", 0.2),
    (
        "R4",
        "Materi pelatihan sulit saya terapkan dalam pekerjaan.",
        "The content is hard to apply in my work.",
        0.0,
    ),
    ("R5", "Waktu dan fasilitas pelatihan memadai.", "Time and facilities were adequate.", -0.3),
    (
        "R6",
        "Saya akan merekomendasikan pelatihan ini kepada rekan.",
        "I would recommend this training to colleagues.",
        0.05,
    ),
)
REVERSE_ITEM = "R4"
EFFICACY_ITEMS = (
    ("E1", "Saya yakin dapat menerapkan materi ini dalam tugas sehari-hari."),
    ("E2", "Saya yakin dapat menjelaskan materi ini kepada rekan kerja."),
    ("E3", "Saya yakin dapat menyelesaikan masalah kerja terkait materi ini."),
    ("E4", "Saya yakin dapat menyusun dokumen kerja terkait materi ini tanpa bantuan."),
    ("E5", "Saya yakin dapat mengukur hasil kerja saya terkait materi ini."),
)
BEHAVIOUR_ITEMS = (
    ("P1", "Berorientasi pelayanan", 0.1),
    ("P2", "Akuntabel", 0.0),
    ("P3", "Kolaboratif", 0.05),
    ("P4", "Adaptif", -0.1),
)
WORKPLAN_ITEMS = (
    ("K1", "Tujuan dan sasaran rencana kerja jelas dan terukur", 0.1),
    ("K2", "Rencana kerja selaras dengan Renstra dan prioritas daerah", 0.0),
    ("K3", "Anggaran konsisten dengan kegiatan dan keluaran", -0.15),
    ("K4", "Indikator kinerja dapat diukur dan memiliki target", 0.05),
)
TEST_TOPICS = {
    "PMPP": (
        "standar pelayanan",
        "maklumat pelayanan",
        "survei kepuasan masyarakat",
        "pengelolaan pengaduan",
        "inovasi pelayanan",
    ),
    "TKPB": (
        "prinsip tata kelola",
        "Renstra dan Renja",
        "indikator kinerja",
        "penganggaran berbasis kinerja",
        "SAKIP",
    ),
}
#: (test line, number of items, versions and the years from which each applies
#: as an offset from the first year).
TESTS = (("PMPP", 20, ((1, 0), (2, 2))), ("TKPB", 15, ((1, 0),)))


@dataclass(slots=True)
class TestVersion:
    """Items of one test version: codes, difficulties, keys (option index 0-3)."""

    line: str
    version: int
    from_year: int
    codes: list[str]
    difficulty: np.ndarray
    key: np.ndarray


@dataclass(slots=True)
class Instruments:
    """Instrument frames and the test versions' item parameters."""

    scales: pd.DataFrame
    instruments: pd.DataFrame
    versions: pd.DataFrame
    items: pd.DataFrame
    options: pd.DataFrame
    tests: list[TestVersion]

    def test_version(self, line: str, year: int) -> TestVersion:
        """The version of a line's test in use in a year."""
        usable = [t for t in self.tests if t.line == line and t.from_year <= year]
        return max(usable, key=lambda t: t.version)


def _labels(points: dict[int, tuple[str, str]]) -> str:
    return json.dumps(
        {str(k): {"id": v[0], "en": v[1]} for k, v in points.items()}, ensure_ascii=False
    )


def build_instruments(config: WorldConfig, rng: np.random.Generator, skm: Rulebook) -> Instruments:
    """All instrument frames; test item difficulties and keys are drawn from ``rng``."""
    y0 = config.first_year
    scales = pd.DataFrame(
        {
            "name": [LIKERT5, QUALITY5, SKM4],
            "min_value": np.array([1, 1, 1], dtype=np.int64),
            "max_value": np.array([5, 5, 4], dtype=np.int64),
            "labels": [
                _labels(
                    {
                        1: ("Sangat tidak setuju", "Strongly disagree"),
                        2: ("Tidak setuju", "Disagree"),
                        3: ("Ragu-ragu", "Neutral"),
                        4: ("Setuju", "Agree"),
                        5: ("Sangat setuju", "Strongly agree"),
                    }
                ),
                _labels(
                    {
                        1: ("Sangat kurang", "Very poor"),
                        2: ("Kurang", "Poor"),
                        3: ("Cukup", "Fair"),
                        4: ("Baik", "Good"),
                        5: ("Sangat baik", "Very good"),
                    }
                ),
                _labels(
                    {
                        1: ("Tidak baik", "Not good"),
                        2: ("Kurang baik", "Less than good"),
                        3: ("Baik", "Good"),
                        4: ("Sangat baik", "Very good"),
                    }
                ),
            ],
        }
    )
    inst = [
        (
            "REAKSI",
            "Survei reaksi peserta pelatihan",
            "Participant reaction survey",
            "reaction",
            True,
        ),
        (
            "EFIKASI",
            "Skala keyakinan diri (efikasi)",
            "Self-efficacy scale",
            "self_efficacy",
            False,
        ),
        (
            "PENILAIAN-ATASAN",
            "Penilaian atasan: perilaku kerja dan kualitas rencana kerja",
            "Supervisor rating: work behaviour and work-plan quality",
            "supervisor_rating",
            False,
        ),
        ("SKM", "Survei Kepuasan Masyarakat", "Public satisfaction survey", "skm", True),
    ]
    for line, _n, _vs in TESTS:
        for when, kind in (("PRE", "pre_test"), ("POST", "post_test")):
            label = "Pre-test" if when == "PRE" else "Post-test"
            inst.append((f"TEST-{line}-{when}", f"{label} {line}", f"{label} {line}", kind, False))
    instruments = pd.DataFrame(
        inst, columns=["code", "title_id", "title_en", "kind", "is_anonymous"]
    )

    items: list[dict[str, object]] = []
    options: list[dict[str, object]] = []
    versions: list[tuple[str, int, int]] = []

    def item(
        code: str,
        ver: int,
        c: str,
        order: int,
        text: str,
        text_en: str,
        dim: str,
        itype: str,
        scale: str | None,
        reverse: bool = False,
        key: str = "",
    ) -> None:
        items.append(
            {
                "instrument": code,
                "version": ver,
                "code": c,
                "order": order,
                "text_id": text,
                "text_en": text_en,
                "dimension": dim,
                "item_type": itype,
                "scale": scale,
                "is_reverse": reverse,
                "answer_key": key,
                "points": 1.0,
            }
        )

    versions.append(("REAKSI", 1, y0))
    for i, (c, text, en, _shift) in enumerate(REACTION_ITEMS, start=1):
        item("REAKSI", 1, c, i, text, en, "reaksi", "likert", LIKERT5, c == REVERSE_ITEM)
    item("REAKSI", 1, "R7", 7, "Saran untuk perbaikan pelatihan.", "Suggestions.", "", "text", None)
    versions.append(("EFIKASI", 1, y0))
    for i, (c, text) in enumerate(EFFICACY_ITEMS, start=1):
        item("EFIKASI", 1, c, i, text, "", "efikasi", "likert", LIKERT5)
    versions.append(("PENILAIAN-ATASAN", 1, y0))
    for i, (c, text, _s) in enumerate(BEHAVIOUR_ITEMS, start=1):
        item("PENILAIAN-ATASAN", 1, c, i, text, "", "perilaku_kerja", "likert", QUALITY5)
    for i, (c, text, _s) in enumerate(WORKPLAN_ITEMS, start=5):
        item("PENILAIAN-ATASAN", 1, c, i, text, "", "kualitas_rencana_kerja", "likert", QUALITY5)
    versions.append(("SKM", 1, y0))
    for i, el in enumerate(skm.records("elements"), start=1):
        item(
            "SKM",
            1,
            str(el["code"]),
            i,
            str(el["name_id"]),
            str(el["name_en"]),
            "skm",
            "likert",
            SKM4,
        )

    tests: list[TestVersion] = []
    for line, n_items, vers in TESTS:
        topics = TEST_TOPICS[line]
        for ver, offset in vers:
            difficulty = rng.normal(0.0, 0.9, n_items)
            key = rng.integers(0, 4, n_items)
            codes = [f"Q{j:02d}" for j in range(1, n_items + 1)]
            year = y0 + offset
            tests.append(TestVersion(line, ver, year, codes, difficulty, key))
            for when in ("PRE", "POST"):
                code = f"TEST-{line}-{when}"
                versions.append((code, ver, year))
                for j, c in enumerate(codes):
                    k = OPTIONS[int(key[j])]
                    text = f"Soal {j + 1} (versi {ver}) tentang {topics[j % len(topics)]}."
                    item(
                        code, ver, c, j + 1, text, "", line.lower(), "multiple_choice", None, key=k
                    )
                    for o, opt in enumerate(OPTIONS):
                        options.append(
                            {
                                "instrument": code,
                                "version": ver,
                                "item": c,
                                "code": opt,
                                "order": o + 1,
                                "text_id": f"Pilihan {opt}",
                                "text_en": "",
                                "is_correct": opt == k,
                            }
                        )
    vframe = pd.DataFrame(versions, columns=["instrument", "version", "year"])
    vframe["published_at"] = pd.to_datetime(vframe["year"].astype(str) + "-01-02 08:00").astype(
        "datetime64[ms]"
    )
    vframe["is_locked"] = True
    vframe = vframe.drop(columns=["year"])
    vframe["version"] = vframe["version"].astype(np.int64)
    items_df = pd.DataFrame(items)
    items_df["version"] = items_df["version"].astype(np.int64)
    items_df["order"] = items_df["order"].astype(np.int64)
    options_df = pd.DataFrame(options)
    options_df["version"] = options_df["version"].astype(np.int64)
    options_df["order"] = options_df["order"].astype(np.int64)
    return Instruments(scales, instruments, vframe, items_df, options_df, tests)
