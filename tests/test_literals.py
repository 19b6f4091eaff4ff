"""The literal-set prechecks (dlp/engine/literals.py) give the answers of the
slow paths they stand in front of: a context window's words
(dlp/context.py ``_present``), a special-category term (dlp/special.py
``_found``), with Hyperscan and without it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import context, special
from dlp.engine.literals import Literals
from dlp.ruleset import Selection, load_ruleset

WORDS = [b"health", b"dna", b"kanser", "身份证".encode(), b"ic", b"x-real-ip"]


@pytest.fixture(params=["hyperscan", "python"])
def engine(request, monkeypatch):  # type: ignore[no-untyped-def]
    """Each check with its Hyperscan database and with the fallback (``in``)."""
    if request.param == "python":
        monkeypatch.setattr(Literals, "_load", lambda self: False)
        monkeypatch.setattr(context, "_any_word", context._any_word.__wrapped__)  # no Literals cached from before
        monkeypatch.setattr(special, "_first_words", special._first_words.__wrapped__)
    return request.param


@pytest.mark.parametrize(("text", "expected"), [
    (b"patient HEALTH record", True),
    (b"Dna", True),
    (b"KanSer", True),
    ("填写身份证号码".encode(), True),
    (b"heal th", False),
    (b"", False),
    (b"topic", True),  # anywhere, not as a word: what ``in`` answers
    (b"x-real_ip", False),
])
def test_any_in(engine: str, text: bytes, expected: bool) -> None:
    assert Literals(WORDS).any_in(text) is expected


def test_empty_literal_is_refused() -> None:
    with pytest.raises(ValueError):
        Literals([b"a", b""])
    with pytest.raises(ValueError):
        Literals([])


_TEXT = st.text(st.sampled_from("aAbBcCdDhHiIkKnNsStTeElLpPrRxX-_ .0123身份证é"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_any_in_is_in(text: str) -> None:
    data = text.encode()
    fallback = Literals(WORDS)
    fallback._db = False  # as without Hyperscan
    expected = any(w in data.lower() for w in WORDS)
    assert Literals(WORDS).any_in(data) == expected
    assert fallback.any_in(data) == expected


@pytest.fixture(scope="module")
def word_tuples() -> list[tuple[str, ...]]:
    """Every personal-data rule's context words (ASCII, Thai, Chinese, Vietnamese...)."""
    rules = load_ruleset(Selection(enable_packs=("pii",))).rules
    return sorted({r.context.words for r in rules if r.context is not None and r.context.words})


@settings(max_examples=200, deadline=None)
@given(before=st.text(max_size=60), after=st.text(max_size=60), pick=st.integers(0, 10_000),
       glue=st.sampled_from(["", "_", "X", " ", "\n"]))
def test_the_literal_check_says_whether_words_are_present(word_tuples: list[tuple[str, ...]], before: str,
                                                         after: str, pick: int, glue: str) -> None:
    words = word_tuples[pick % len(word_tuples)]
    word = words[pick % len(words)]
    # a rule's word, in capitals or cut by an underscore, beside arbitrary text
    for b in (before, before + glue + word.upper(), before + word[:1] + "_" + word[1:], before + word + glue):
        for w in (5, 40):
            near = context._near(b, after, w)
            assert context._may_be_present(near, words) == bool(context._present(near, words))


def test_present_with_an_empty_word() -> None:
    near = context._near("abc", "def", 10)
    assert context._present(near, ("_", "zz")) == ("_",)
    assert context._may_be_present(near, ("_", "zz"))


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from([
    "medical", "Medical", "MEDICAL", "record", "Record", "x", "_", " ", "0", "diagnosisCode", "patientId",
    "HIV", "hivTest", "religion", "dna", "DNAProfile", "prison", "criminalRecord", "health", "jail", "病历",
    "İ", "\u212a", "ill", "illness", "Illness", "kencing", "manis", "-", "\n"]), max_size=12))
def test_found_fast_path_is_found(parts: list[str]) -> None:
    text = "".join(parts)
    assert special._found(text) == special._term_category(text)


def test_found_precheck_is_what_skips() -> None:
    """The precheck answers for windows without a term (else this test would pass with no precheck at all)."""
    assert special._first_words().any_in(b"port = 8080  # no term here") is False
    assert special._first_words().any_in(b"diagnosisCode") is True


def test_database_cache_kept_and_a_corrupt_one_rebuilt(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("hyperscan")
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    assert Literals(WORDS).any_in(b"a health check") is True
    (stored,) = tmp_path.glob("lit-*.db")
    stored.write_bytes(b"not a database")
    fresh = Literals(WORDS)
    assert fresh.any_in(b"a health check") is True and fresh.any_in(b"nothing") is False
    assert stored.read_bytes() != b"not a database"  # compiled and stored again


def test_one_set_answers_threads_at_once() -> None:
    """A set is shared by every ruleset of a process; two gateways' scans may
    ask it from two threads at once (one scratch: one scan at a time)."""
    import threading

    literals = Literals(WORDS)
    texts = [(b"x" * 500 + b" health " + b"y" * 500, True), (b"z" * 1000, False)]
    errors: list[BaseException] = []

    def ask(n: int) -> None:
        try:
            for i in range(2000):
                text, expected = texts[(i + n) % 2]
                assert literals.any_in(text) is expected
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
