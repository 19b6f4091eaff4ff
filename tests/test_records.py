"""dlp.records.record behaves as @dataclass(frozen=True, slots=True) does."""
from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from dlp import records
from dlp.records import field, record


def _pair():  # type: ignore[no-untyped-def]
    """The same class body as a record and as a frozen, slotted dataclass."""

    def body(decorate, make_field):  # type: ignore[no-untyped-def]
        class Point:
            """A point."""

            x: int
            secret: str = make_field(repr=False, compare=False)
            label: str = "p"
            tags: tuple[str, ...] = ()
            extra: dict[str, int] = make_field(default_factory=dict, compare=False)

            @property
            def doubled(self) -> int:
                return 2 * self.x

        return decorate(Point)

    return body(record, field), body(dataclasses.dataclass(frozen=True, slots=True), dataclasses.field)


Rec, Dc = _pair()
globals()["Rec"] = Rec  # picklable by name
Rec.__qualname__ = "Rec"


def test_same_behaviour_as_dataclass() -> None:
    for cls in (Rec, Dc):
        a, b = cls(1, "s1", tags=("t",)), cls(1, "s2", tags=("t",), extra={"k": 1})
        assert (a.x, a.label, a.tags, a.extra, a.doubled) == (1, "p", ("t",), {}, 2)
        assert a == b and hash(a) == hash(b)  # secret and extra are not compared
        assert a != cls(2, "s1") and a != (1, "s1")
        assert "s1" not in repr(a) and repr(a).endswith("(x=1, label='p', tags=('t',), extra={})")
        assert cls(1, "s").extra is not cls(1, "s").extra
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
            a.x = 2  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'x'"):
            del a.x  # type: ignore[misc]
        with pytest.raises((AttributeError, TypeError)):  # (TypeError: a dataclass bug of Python 3.11)
            a.other = 1  # type: ignore[attr-defined]
        with pytest.raises(TypeError):
            cls()  # type: ignore[call-arg]
        assert cls.__slots__ == ("x", "secret", "label", "tags", "extra")
        assert cls.__match_args__ == ("x", "secret", "label", "tags", "extra")
        assert not hasattr(a, "__dict__")
        c = copy.deepcopy(a)
        assert c == a and c.secret == "s1"
        r = dataclasses.replace(a, label="q")
        assert (type(r), r.label, r.secret) == (cls, "q", "s1")
        assert [f.name for f in dataclasses.fields(cls)] == ["x", "secret", "label", "tags", "extra"]
        assert dataclasses.asdict(a) == {"x": 1, "secret": "s1", "label": "p", "tags": ("t",), "extra": {}}
        assert dataclasses.is_dataclass(a)
    assert repr(Dc(1, "s")).partition("(")[2] == repr(Rec(1, "s")).partition("(")[2]
    assert records.replace(Rec(1, "s"), label="q") == Rec(1, "s", label="q")
    assert records.field_names(Rec) == tuple(f.name for f in dataclasses.fields(Dc))
    with pytest.raises(TypeError):
        records.replace(Rec(1, "s"), nope=1)


def test_pickle() -> None:
    a = Rec(1, "s", extra={"k": 1})
    b = pickle.loads(pickle.dumps(a))
    assert b == a and (b.secret, b.extra) == ("s", {"k": 1})


@pytest.mark.parametrize("source, error", [
    ("class A:\n x: int = 1\n y: int\n", TypeError),  # non-default after default
    ("class A:\n x: list = []\n", ValueError),  # mutable default
    ("class A:\n x: int\n def __eq__(self, o): return True\n", TypeError),
    ("class B: pass\nclass A(B):\n x: int\n", TypeError),
    ("class A:\n x: ClassVar[int] = 1\n", TypeError),
    ("class A:\n x = field(default=1)\n", TypeError),
])
def test_definition_errors(source: str, error: type[Exception]) -> None:
    namespace = {"field": field}
    exec(source, namespace)  # noqa: S102 - class bodies of the table above
    with pytest.raises(error):
        record(namespace["A"])  # type: ignore[arg-type]



def test_compiled_methods_are_memoised_on_disk(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(records, "_CODES", None)

    def make():  # type: ignore[no-untyped-def]
        class Cached:
            a: int
            b: str = "x"

        return record(Cached)

    cls = make()
    assert cls(1) == cls(1) and make()(1) != cls(1)  # another class: not equal, as dataclasses
    (cache,) = tmp_path.glob("records-*.marshal")

    def no_compile(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("compiled again")

    monkeypatch.setattr(records, "compile", no_compile, raising=False)
    monkeypatch.setattr(records, "_CODES", None)  # a new process: reads the file
    assert repr(make()(2)) == "test_compiled_methods_are_memoised_on_disk.<locals>.make.<locals>.Cached(a=2, b='x')"
    cache.chmod(0o666)  # writable by others: not trusted
    monkeypatch.setattr(records, "_CODES", None)
    with pytest.raises(AssertionError, match="compiled again"):
        make()
