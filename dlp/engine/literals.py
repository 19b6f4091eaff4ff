"""Whether a short text holds any of a fixed set of literals, in any ASCII case.

A question the scanner asks of each value's windows (is any of the rule's
context words there? dlp/context.py; any special-category term?
dlp/special.py) where the answer is nearly always no: one
Hyperscan scan of a few hundred bytes answers it in a fraction of a
microsecond, where ``re`` with an alternation of a hundred words takes
about 14 us and Python's ``in`` per word about as long. The database is
compiled once and kept on disk like the matcher's (about 2 ms to compile,
0.02 ms to load); without Hyperscan, or when it fails, the same answer
comes from ``in``.
"""
from __future__ import annotations

from _thread import allocate_lock  # threading.Lock itself, without importing threading
from collections.abc import Iterable
from typing import Any


class Literals:
    """A set of non-empty literals (bytes), matched anywhere, ASCII letters in any case."""

    def __init__(self, literals: Iterable[bytes]) -> None:
        self.literals = tuple(sorted(set(literals)))
        if not self.literals or not all(self.literals):
            raise ValueError("Literals needs non-empty literals")
        self._lowered = tuple(w.lower() for w in self.literals)
        self._db: Any = None
        self._scratch: Any = None
        self._found = False
        # one scan at a time: the scratch and the answer are this object's, and
        # a set is shared by every ruleset of the process (two gateways' scans
        # may run in two threads)
        self._lock = allocate_lock()

    def any_in(self, data: bytes) -> bool:
        """Whether one of the literals occurs in ``data``, whatever the case of its ASCII letters."""
        db = self._db
        if db is None:
            db = self._load()
        if db is False:
            lowered = data.lower()
            return any(w in lowered for w in self._lowered)
        with self._lock:
            self._found = False
            db.scan(data, self._on_match, 0, None, self._scratch)
            return self._found

    def _on_match(self, _id: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
        self._found = True  # (each literal reports once: stopping the scan would raise in the binding)

    def _load(self) -> Any:
        """The database and this process's scratch, or False (no Hyperscan: ``in`` answers)."""
        with self._lock:
            return self._db if self._db is not None else self._compile()

    def _compile(self) -> Any:
        try:
            import hyperscan
        except ImportError:
            self._db = False
            return False
        try:
            db = _database(self.literals, hyperscan)
            self._scratch = hyperscan.Scratch(db)
        except Exception:  # noqa: BLE001 - Hyperscan refused: ``in`` gives the same answer
            self._db = False
            return False
        self._db = db
        return db


_FORMAT = b"dlp-literals-1"


def _database(literals: tuple[bytes, ...], hyperscan: Any) -> Any:
    from dlp.cache import cache_dir, read_own, sha256, store_atomic
    from dlp.engine.gate import _hex  # every byte as \xHH: a literal whatever it holds

    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
    key = sha256(_FORMAT + str(hyperscan.__version__).encode() + b"\0" + b"\0".join(literals)).hexdigest()[:32]
    path = cache_dir() / f"lit-{key}.db"
    blob = read_own(path)
    db = None if blob is None else _loaded(blob, hyperscan)
    if db is not None:
        return db
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[_hex(w).encode("ascii") for w in literals], ids=list(range(len(literals))),
               elements=len(literals), flags=[flags] * len(literals))
    store_atomic(path, hyperscan.dumpb(db))
    return db


def _loaded(blob: bytes, hyperscan: Any) -> Any:
    """The database stored in ``blob``, or None: a corrupt cache file is only a miss."""
    try:
        return hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
    except Exception:  # noqa: BLE001 - whatever the binding raises for a bad blob
        return None
