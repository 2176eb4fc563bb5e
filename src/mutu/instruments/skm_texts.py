"""The nine SKM elements as a citizen reads them: a plain question and four answers each.

The wording follows the sample questionnaire of PermenPANRB 14/2017 (Lampiran,
contoh kuesioner), in Bahasa Indonesia with an English rendering.  The
elements themselves (codes U1–U9, names, the 1–4 scale) come from the ``skm``
rulebook and the SKM instrument in the database; an element whose code is not
listed here is shown with its stored text and the scale's labels.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SKM_QUESTIONS", "SkmQuestion"]


@dataclass(frozen=True)
class SkmQuestion:
    """The question of one element and its answers for points 1–4 (id, en)."""

    question_id: str
    question_en: str
    answers_id: tuple[str, str, str, str]
    answers_en: tuple[str, str, str, str]


SKM_QUESTIONS: dict[str, SkmQuestion] = {
    "U1": SkmQuestion(
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        "How well do the requirements match the kind of service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less than suitable", "Suitable", "Very suitable"),
    ),
    "U2": SkmQuestion(
        "Bagaimana pendapat Anda tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy is the service procedure at this unit?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less than easy", "Easy", "Very easy"),
    ),
    "U3": SkmQuestion(
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service delivered?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less than fast", "Fast", "Very fast"),
    ),
    "U4": SkmQuestion(
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair is the cost or fee of the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    "U5": SkmQuestion(
        "Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan dengan yang tercantum "
        "dalam standar pelayanan?",
        "How well does what you received match the published service standard?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less than suitable", "Suitable", "Very suitable"),
    ),
    "U6": SkmQuestion(
        "Bagaimana pendapat Anda tentang kemampuan petugas dalam memberikan pelayanan?",
        "How competent were the staff who served you?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less than competent", "Competent", "Very competent"),
    ),
    "U7": SkmQuestion(
        "Bagaimana pendapat Anda tentang kesopanan dan keramahan petugas?",
        "How polite and friendly were the staff?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        (
            "Not polite or friendly",
            "Less than polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),
    "U8": SkmQuestion(
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana (ruang tunggu, "
        "toilet, tempat parkir)?",
        "How good are the facilities (waiting room, toilets, parking)?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
    "U9": SkmQuestion(
        "Bagaimana pendapat Anda tentang penanganan pengaduan, saran dan masukan di unit ini?",
        "How are complaints, suggestions and feedback handled at this unit?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        (
            "There is none",
            "There is one, but it does not work",
            "It works, but not fully",
            "It is handled well",
        ),
    ),
}
