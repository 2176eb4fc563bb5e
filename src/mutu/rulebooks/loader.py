"""Finding rulebook versions on the search path and choosing the one in force.

Versions live in folders laid out as ``<root>/<name>/<version>.toml``.  The
roots, searched together (a version may come from any of them):

1. the built-in data folder shipped with Mutu (:data:`BUILTIN_DIR`);
2. ``$MUTU_HOME/rulebooks`` (``MUTU_HOME`` defaults to ``.mutu``);
3. each folder in ``$MUTU_RULEBOOKS_PATH`` (separated by ``:``).

An administrator adds a version by dropping a file into one of them (or with
:func:`install`); no code changes.  The same name and version in two files is
an error naming both, so a built-in version is never silently shadowed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from mutu.rulebooks.model import Rulebook, RulebookError
from mutu.rulebooks.reader import NAME_PATTERN, read_file

#: The folder of the rulebooks shipped with Mutu.
BUILTIN_DIR: Path = Path(__file__).resolve().parent / "data"

#: ``MUTU_HOME`` when the environment does not set it (same default as the settings).
DEFAULT_MUTU_HOME = ".mutu"


def default_search_path(environ: Mapping[str, str] | None = None) -> list[Path]:
    """The folders searched for rulebook versions, in order.

    Parameters
    ----------
    environ
        The environment to read ``MUTU_HOME`` and ``MUTU_RULEBOOKS_PATH`` from;
        ``os.environ`` by default.

    Returns
    -------
    list of Path
        :data:`BUILTIN_DIR`, ``$MUTU_HOME/rulebooks``, then every folder of
        ``$MUTU_RULEBOOKS_PATH`` (``:``-separated, empty parts ignored).
        Folders that do not exist are kept; searching skips them.
    """
    env = os.environ if environ is None else environ
    home = Path(env.get("MUTU_HOME") or DEFAULT_MUTU_HOME).expanduser()
    extra = [Path(p).expanduser() for p in env.get("MUTU_RULEBOOKS_PATH", "").split(":") if p]
    return [BUILTIN_DIR, home / "rulebooks", *extra]


def _roots(search_path: Sequence[Path | str] | None) -> list[Path]:
    roots = default_search_path() if search_path is None else [Path(p) for p in search_path]
    seen: set[Path] = set()
    unique: list[Path] = []
    for root in roots:
        resolved = root.expanduser().resolve()
        if resolved not in seen:  # the same folder listed twice is not a duplicate version
            seen.add(resolved)
            unique.append(resolved)
    return unique


def _scan(roots: Sequence[Path], name: str | None) -> list[Rulebook]:
    """Read every version (of ``name``, or of all rulebooks) under the roots."""
    found: dict[tuple[str, str], Rulebook] = {}
    for root in roots:
        if not root.is_dir():
            continue
        if name is not None:
            folders = [root / name]
        else:
            folders = sorted(d for d in root.iterdir() if _is_rulebook_dir(d))
        for folder in folders:
            if not folder.is_dir():
                continue
            for file in sorted(folder.glob("*.toml")):
                book = read_file(file, expect_name=folder.name, expect_version=file.stem)
                key = (book.name, book.version)
                if key in found:
                    other = found[key].origin
                    raise RulebookError(
                        f"rulebook {book.label} ada di dua berkas: {other} dan {book.origin}. "
                        "Hapus salah satunya atau beri versi baru.",
                        f"rulebook {book.label} is defined in two files: {other} and "
                        f"{book.origin}. Remove one or give it a new version.",
                    )
                found[key] = book
    return sorted(found.values(), key=lambda b: (b.name, b.effective_from, b.version))


def _is_rulebook_dir(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_"))


def _check_name(name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise RulebookError(
            f"Nama rulebook '{name}' tidak valid (huruf kecil, angka, garis bawah).",
            f"Invalid rulebook name '{name}' (lower-case letters, digits, underscores).",
        )


def available(search_path: Sequence[Path | str] | None = None) -> list[Rulebook]:
    """Every rulebook version on the search path.

    Parameters
    ----------
    search_path
        Folders to search instead of :func:`default_search_path`.

    Returns
    -------
    list of Rulebook
        Sorted by name, then ``effective_from``, then version.

    Raises
    ------
    RulebookError
        When a file is malformed or a name+version is defined twice.
    """
    return _scan(_roots(search_path), None)


def versions(name: str, search_path: Sequence[Path | str] | None = None) -> list[Rulebook]:
    """Every version of one rulebook, oldest ``effective_from`` first."""
    _check_name(name)
    return _scan(_roots(search_path), name)


def load(
    name: str,
    on: date | None = None,
    *,
    search_path: Sequence[Path | str] | None = None,
) -> Rulebook:
    """The version of a rulebook in force on a date.

    Parameters
    ----------
    name
        The rulebook, e.g. ``"ip_asn"``.
    on
        The date the rule is applied to (``date.today()`` by default).  Use the
        date of the event (the survey, the training year) so past results stay
        computed with the rule of their time.
    search_path
        Folders to search instead of :func:`default_search_path`.

    Returns
    -------
    Rulebook
        Among versions with ``effective_from <= on`` and no ``effective_until``
        before ``on``, the one with the latest ``effective_from``.  A version
        an administrator adds with a later ``effective_from`` therefore takes
        over from that date, while earlier dates keep the older version.

    Raises
    ------
    RulebookError
        When the rulebook is unknown, no version is in force on ``on`` (the
        message gives the earliest date one is), two versions start on the
        same day, or a file is malformed.
    """
    _check_name(name)
    when = _as_date(on)
    roots = _roots(search_path)
    books = _scan(roots, name)
    if not books:
        # Folder names only: a malformed file of another rulebook must not hide this answer.
        known = sorted(
            {d.name for r in roots if r.is_dir() for d in r.iterdir() if _is_rulebook_dir(d)}
        )
        where = ", ".join(str(r) for r in roots)
        names = ", ".join(known) or "-"
        raise RulebookError(
            f"Rulebook '{name}' tidak ditemukan (dicari di: {where}). Yang ada: {names}.",
            f"Rulebook '{name}' not found (searched: {where}). Available: {names}.",
        )
    in_force = [b for b in books if b.is_in_force(when)]
    if not in_force:
        earliest = min(b.effective_from for b in books)
        listing = "; ".join(
            f"{b.version}: {b.effective_from}–{b.effective_until or '…'}" for b in books
        )
        raise RulebookError(
            f"Tidak ada versi rulebook '{name}' yang berlaku pada {when.isoformat()}. Versi "
            f"paling awal berlaku mulai {earliest.isoformat()} ({listing}).",
            f"No version of rulebook '{name}' is in force on {when.isoformat()}. The earliest "
            f"version applies from {earliest.isoformat()} ({listing}).",
        )
    best = max(in_force, key=lambda b: b.effective_from)
    ties = [b for b in in_force if b.effective_from == best.effective_from]
    if len(ties) > 1:
        files = ", ".join(str(b.origin) for b in ties)
        raise RulebookError(
            f"Beberapa versi rulebook '{name}' mulai berlaku pada tanggal yang sama "
            f"({best.effective_from}): {files}. Ubah effective_from salah satunya.",
            f"Several versions of rulebook '{name}' start on the same day "
            f"({best.effective_from}): {files}. Change the effective_from of one of them.",
        )
    return best


def resolve(name: str, rulebook: Rulebook | None = None, *, on: date | None = None) -> Rulebook:
    """The rulebook a computation was handed, or the one in force when none was.

    Domain functions take ``rulebook=None`` and call this, so a caller can pin a
    version (or a test can pass a modified one) while the default stays the
    version in force.

    Raises
    ------
    RulebookError
        When ``rulebook`` is a different table than ``name``.
    """
    if rulebook is None:
        return load(name, on)
    if rulebook.name != name:
        raise RulebookError(
            f"Diperlukan rulebook '{name}', tetapi yang diberikan {rulebook.label}.",
            f"Rulebook '{name}' is needed but {rulebook.label} was given.",
        )
    return rulebook


def install(path: Path | str, home: Path | str) -> Path:
    """Validate a rulebook file and copy it into ``home/rulebooks/<name>/<version>.toml``.

    This is how an administrator adds a version without a code change (the
    command ``mutu rulebooks add FILE`` calls it).  The new version is used by
    :func:`load` from its ``effective_from`` onward.

    Parameters
    ----------
    path
        The file to install; it is checked with :func:`read_file` first.
    home
        The Mutu home folder (``MUTU_HOME``).

    Returns
    -------
    Path
        The installed file.

    Raises
    ------
    RulebookError
        When the file is malformed, the same name and version already exists
        (installed or built in; nothing is overwritten), or another version of
        the rulebook starts on the same ``effective_from``.
    """
    source = Path(path)
    book = read_file(source)
    installed = Path(home).expanduser().resolve() / "rulebooks"
    target_dir = installed / book.name
    target = target_dir / f"{book.version}.toml"
    builtin = BUILTIN_DIR / book.name / f"{book.version}.toml"
    for existing in (target, builtin):
        if existing.exists():
            raise RulebookError(
                f"Versi {book.label} sudah ada di {existing}; berkas tidak ditimpa. "
                "Beri versi baru pada berkas.",
                f"Version {book.label} already exists at {existing}; it is not overwritten. "
                "Give the file a new version.",
                path=source,
            )
    for other in _scan(_roots([BUILTIN_DIR, installed]), book.name):
        if other.effective_from == book.effective_from:
            raise RulebookError(
                f"Versi {other.label} ({other.origin}) juga mulai berlaku pada "
                f"{book.effective_from}; ubah effective_from.",
                f"Version {other.label} ({other.origin}) also starts on {book.effective_from}; "
                "change effective_from.",
                path=source,
            )
    target_dir.mkdir(parents=True, exist_ok=True)
    content = source.read_bytes()
    try:
        # "x" refuses to overwrite even if another process wrote the file meanwhile.
        with target.open("xb") as fh:
            fh.write(content)
    except FileExistsError:
        raise RulebookError(
            f"Versi {book.label} sudah ada di {target}; berkas tidak ditimpa.",
            f"Version {book.label} already exists at {target}; it is not overwritten.",
            path=source,
        ) from None
    return target


def _as_date(on: date | None) -> date:
    if on is None:
        return date.today()
    if isinstance(on, datetime):
        return on.date()
    if not isinstance(on, date):
        raise RulebookError(
            f"Tanggal harus berupa date, bukan {type(on).__name__}.",
            f"The date must be a date, not {type(on).__name__}.",
        )
    return on
