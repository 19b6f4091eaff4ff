"""Frozen, slotted records, made without importing :mod:`dataclasses`.

``@record`` makes the class ``@dataclass(frozen=True, slots=True)`` makes:
the same ``__init__`` (defaults, ``field(default_factory=...)``), ``__repr__``,
``__eq__`` and ``__hash__`` (``field(repr=False, compare=False)``), frozen
``__setattr__``/``__delattr__`` raising ``dataclasses.FrozenInstanceError``,
``__slots__``, ``__match_args__`` and pickling. Why: a hook answers each
prompt in a fresh process, and the records on its path cost it ~30 ms as
dataclasses (importing ``dataclasses`` imports ``inspect``, ``ast``, ``dis``
and ``tokenize``; each class then compiles six generated methods); a record
compiles its methods once and imports nothing, and that compilation is
memoised on disk next to dlp's other caches (:func:`_compiled`), as Python
memoises a module's in ``__pycache__``.

:mod:`dataclasses` still works on records: ``fields``, ``replace``,
``asdict`` and ``is_dataclass`` see the ``__dataclass_fields__`` that
:mod:`dataclasses` itself makes for the record on first use. A record has
no base class and defines none of the generated methods itself (either is a
``TypeError`` at definition).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import CodeType
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
_GENERATED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__getstate__",
              "__setstate__")


class _Field:
    __slots__ = ("compare", "default", "default_factory", "repr")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] = MISSING, repr: bool = True,
          compare: bool = True) -> Any:
    """A record field's options (the subset of :func:`dataclasses.field` dlp uses)."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _Field(default, default_factory, repr, compare)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """The class as a frozen, slotted record (see the module docstring)."""
    where = cls.__qualname__
    if cls.__bases__ != (object,):
        raise TypeError(f"{where}: a record has no base class")
    own = dict(cls.__dict__)
    for name in _GENERATED:
        if name in own:
            raise TypeError(f"{where}: a record does not define {name}")
    annotations = own.get("__annotations__", {})
    fields: dict[str, _Field] = {}
    for name, annotation in annotations.items():
        kind = annotation.partition("[")[0].rpartition(".")[2].strip() if isinstance(annotation, str) else ""
        if kind in ("ClassVar", "InitVar"):
            raise TypeError(f"{where}.{name}: a record has no {kind} fields")
        value = own.get(name, MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, MISSING, True, True)
        if spec.default is not MISSING and type(spec.default).__hash__ is None:
            raise ValueError(f"{where}.{name}: mutable default {type(spec.default)} is not allowed: "
                             "use default_factory")
        fields[name] = spec
    for name, value in own.items():
        if isinstance(value, _Field) and name not in fields:
            raise TypeError(f"{where}.{name}: a field has no type annotation")
    names = tuple(fields)

    env: dict[str, Any] = {"_setattr": object.__setattr__, "_MISSING": MISSING, "_names": frozenset(names),
                           "_order": names, "_frozen": _frozen}
    params: list[str] = []
    body: list[str] = []
    defaulted = None
    for name, spec in fields.items():
        if spec.default_factory is not MISSING:
            env[f"_factory_{name}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            body.append(f"  _setattr(self, {name!r}, _factory_{name}() if {name} is _MISSING else {name})")
            defaulted = name
        else:
            if spec.default is not MISSING:
                env[f"_default_{name}"] = spec.default
                params.append(f"{name}=_default_{name}")
                defaulted = name
            elif defaulted is not None:
                raise TypeError(f"{where}: non-default argument {name!r} follows default argument")
            else:
                params.append(name)
            body.append(f"  _setattr(self, {name!r}, {name})")
    shown = ", ".join(f"{name}={{self.{name}!r}}" for name, spec in fields.items() if spec.repr)
    compared = [name for name, spec in fields.items() if spec.compare]
    mine = "(" + "".join(f"self.{name}," for name in compared) + ")"
    theirs = "(" + "".join(f"other.{name}," for name in compared) + ")"
    source = "\n".join([
        f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):",
        *(body or ["  pass"]),
        "def __repr__(self):",
        f"  return f'{{self.__class__.__qualname__}}({shown})'",
        "def __eq__(self, other):",
        "  if other.__class__ is self.__class__:",
        f"    return {mine} == {theirs}",
        "  return NotImplemented",
        "def __hash__(self):",
        f"  return hash({mine})",
        "def __setattr__(self, name, value):",
        "  if type(self) is _cls or name in _names:",
        "    raise _frozen('assign to', name)",
        "  super(_cls, self).__setattr__(name, value)",
        "def __delattr__(self, name):",
        "  if type(self) is _cls or name in _names:",
        "    raise _frozen('delete', name)",
        "  super(_cls, self).__delattr__(name)",
        "def __getstate__(self):",
        f"  return [{', '.join(f'self.{name}' for name in names)}]",
        "def __setstate__(self, state):",
        "  for name, value in zip(_order, state):",
        "    _setattr(self, name, value)",
    ])
    exec(_compiled(source, f"<record {cls.__module__}.{where}>"), env)  # noqa: S102 - our own text

    for name in names:
        own.pop(name, None)
    own.pop("__dict__", None)
    own.pop("__weakref__", None)
    own["__slots__"] = names
    own.setdefault("__match_args__", names)
    metaclass: Any = type(cls)
    new = metaclass(cls.__name__, cls.__bases__, own)
    new.__qualname__ = where
    env["_cls"] = new
    for name in _GENERATED:
        method = env[name]
        method.__qualname__ = f"{where}.{name}"
        setattr(new, name, method)
    new.__record_fields__ = names
    new.__record_specs__ = fields
    new.__dataclass_fields__ = _AsDataclass("__dataclass_fields__")
    new.__dataclass_params__ = _AsDataclass("__dataclass_params__")
    return new


_CODES: dict[str, CodeType] | None = None
_MAX_CODES = 512  # records whose source changed leave stale entries: start afresh past this


def _compiled(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, memoised on disk: compiling the
    methods is most of a record's cost (~1 ms each, and the first compile of
    a process starts the parser), and a hook process makes ~20 records. The
    key is the text itself; the file is per interpreter version, and is
    read only if it is the user's own and writable by no one else (it holds
    code, like ``__pycache__``)."""
    global _CODES
    key = f"{filename}\0{source}"
    if _CODES is None:
        _CODES = _load_codes()
    code = _CODES.get(key)
    if code is None:
        code = _CODES[key] = compile(source, filename, "exec")
        _store_codes(_CODES)
    return code


def _codes_path() -> str:
    from dlp.cache import cache_dir, sha256

    interpreter = sha256(sys.version.encode()).hexdigest()[:12]  # two interpreters never take turns rewriting it
    return os.path.join(cache_dir(), f"records-{sys.implementation.cache_tag}-{interpreter}.marshal")


def _load_codes() -> dict[str, CodeType]:
    import marshal

    from dlp.cache import read_own

    try:
        blob = read_own(_codes_path())
        if blob is None:
            return {}
        version, codes = marshal.loads(blob)
    except Exception:  # noqa: BLE001 - a missing, foreign or corrupt cache is only a miss
        return {}
    if version != sys.version or not isinstance(codes, dict) or len(codes) > _MAX_CODES:
        return {}
    if not all(isinstance(k, str) and isinstance(v, CodeType) for k, v in codes.items()):
        return {}
    return codes


def _store_codes(codes: dict[str, CodeType]) -> None:
    import marshal
    from pathlib import Path

    from dlp.cache import store_atomic

    store_atomic(Path(_codes_path()), marshal.dumps((sys.version, codes)))


def _frozen(verb: str, name: str) -> Exception:
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(f"cannot {verb} field {name!r}")


class _AsDataclass:
    """A record's ``__dataclass_fields__`` (or ``__dataclass_params__``), made
    by :mod:`dataclasses` from the record's fields on first access."""

    __slots__ = ("attr",)

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def __get__(self, obj: Any, owner: type) -> Any:
        import dataclasses

        specs: dict[str, _Field] = owner.__record_specs__  # type: ignore[attr-defined]
        annotations = owner.__annotations__
        made = []
        for name, spec in specs.items():
            options: dict[str, Any] = {"repr": spec.repr, "compare": spec.compare}
            if spec.default is not MISSING:
                options["default"] = spec.default
            if spec.default_factory is not MISSING:
                options["default_factory"] = spec.default_factory
            made.append((name, annotations[name], dataclasses.field(**options)))
        view = dataclasses.make_dataclass(owner.__name__, made, frozen=True)
        owner.__dataclass_fields__ = view.__dataclass_fields__  # type: ignore[attr-defined]
        owner.__dataclass_params__ = view.__dataclass_params__  # type: ignore[attr-defined]
        return getattr(view, self.attr)


def field_names(cls: type) -> tuple[str, ...]:
    """A record's field names, in order (``dataclasses.fields`` without importing it)."""
    return cls.__record_fields__  # type: ignore[attr-defined, no-any-return]


def replace(obj: _T, /, **changes: Any) -> _T:
    """``dataclasses.replace`` for a record, without importing dataclasses."""
    for name in type(obj).__record_fields__:  # type: ignore[attr-defined]
        if name not in changes:
            changes[name] = getattr(obj, name)
    return type(obj)(**changes)
