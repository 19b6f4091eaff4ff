"""Reversible redaction: typed placeholders, a vault, restoring across chunks.

A :class:`Vault` maps each redacted value to a placeholder such as
``<SECRET:github-pat:1>`` or ``<PII:my-nric:2>``; the same value always gets the
same placeholder within a vault (a session). The vault never logs or prints a
value; :meth:`Vault.to_state` encrypts them (AES-GCM, key from
:func:`vault_key`) so that the state can travel with a request through a
proxy. :class:`VaultStore` keeps one encrypted vault file per session under
the user's data directory, with an expiry.

:func:`restore_text` puts values back into a model's answer; a
:class:`StreamRestorer` does the same over a stream of chunks, holding back
only a tail that could still become a placeholder.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from dlp.errors import InputError
from dlp.model import Category, Finding

PLACEHOLDER_RE = re.compile(r"<(SECRET|PII|CODE):([a-z0-9-]+):(\d+)>")
KINDS = {Category.SECRET: "SECRET", Category.PII: "PII", Category.PROPRIETARY: "CODE"}
_KIND_HEADS = tuple(f"<{k}:" for k in ("SECRET", "PII", "CODE"))
_MAX_PLACEHOLDER = 2 + 6 + 1 + 64 + 1 + 12  # "<" KIND ":" rule-id ":" number ">"
_STATE_VERSION = 1
_KEY_ENV = "DLP_VAULT_KEY"
DEFAULT_TTL = 24 * 3600


class VaultError(InputError):
    """The vault cannot be read, decrypted or written."""


# --------------------------------------------------------------------------- vault


class Vault:
    """Placeholder <-> original value for one session/request. Same value -> same placeholder.

    Thread-safe. ``ttl`` (seconds) sets :attr:`expires` when the vault is
    created; :meth:`from_state` and :class:`VaultStore` drop expired vaults.
    """

    __slots__ = ("_by_placeholder", "_by_value", "_counter", "_lock", "created", "expires")

    def __init__(self, *, ttl: int | None = DEFAULT_TTL, now: float | None = None) -> None:
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counter = 0
        self._lock = threading.Lock()
        self.created = time.time() if now is None else now
        self.expires: float | None = None if ttl is None else self.created + ttl

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def __repr__(self) -> str:  # never the values
        return f"<Vault {len(self)} placeholders>"

    @property
    def expired(self) -> bool:
        return self.expires is not None and time.time() >= self.expires

    def placeholder_for(self, finding: Finding) -> str:
        """``<SECRET:github-pat:1>``, ``<PII:my-nric:2>``, ``<CODE:...:3>``."""
        return self.placeholder_for_value(finding.value, rule_id=finding.rule_id, category=finding.category)

    def placeholder_for_value(self, value: str, *, rule_id: str, category: Category, avoid: str = "") -> str:
        """The value's placeholder (a new one if the value is new). A new
        placeholder never equals text already in ``avoid`` (the text being
        redacted), so restoring cannot touch a literal that looked like one."""
        with self._lock:
            existing = self._by_value.get(value)
            if existing is not None:
                return existing
            rule = re.sub(r"[^a-z0-9-]", "-", rule_id.lower())[:64] or "value"
            while True:
                self._counter += 1
                placeholder = f"<{KINDS[category]}:{rule}:{self._counter}>"
                if placeholder not in avoid:
                    break
            self._by_value[value] = placeholder
            self._by_placeholder[placeholder] = value
            return placeholder

    def original(self, placeholder: str) -> str | None:
        return self._by_placeholder.get(placeholder)

    def placeholders(self) -> tuple[str, ...]:
        return tuple(self._by_placeholder)

    def merge(self, other: Vault) -> None:
        """Adopt ``other``'s entries (placeholders already issued stay as they are)."""
        with self._lock:
            for placeholder, value in other._by_placeholder.items():
                if placeholder not in self._by_placeholder and value not in self._by_value:
                    self._by_placeholder[placeholder] = value
                    self._by_value[value] = placeholder
            self._counter = max(self._counter, other._counter)

    # ----------------------------------------------------------------- state

    def to_state(self, *, key: bytes | None = None) -> dict:
        """JSON-safe state; the values are encrypted (AES-GCM)."""
        with self._lock:
            plain = json.dumps({"n": self._counter, "map": self._by_placeholder},
                               ensure_ascii=False).encode("utf-8", "surrogatepass")
        nonce = os.urandom(12)
        aad = self._aad()
        blob = _aesgcm(key or vault_key()).encrypt(nonce, plain, aad)
        return {
            "version": _STATE_VERSION,
            "created": self.created,
            "expires": self.expires,
            "data": base64.b64encode(nonce + blob).decode("ascii"),
        }

    @classmethod
    def from_state(cls, state: dict, *, key: bytes | None = None) -> Vault:
        """Rebuild a vault; an expired state gives an empty vault."""
        if not isinstance(state, dict) or state.get("version") != _STATE_VERSION:
            raise VaultError("vault state: unknown format")
        vault = cls(ttl=None, now=float(state.get("created") or time.time()))
        expires = state.get("expires")
        vault.expires = float(expires) if expires is not None else None
        if vault.expired:
            return cls()
        try:
            raw = base64.b64decode(state["data"])
            plain = _aesgcm(key or vault_key()).decrypt(raw[:12], raw[12:], vault._aad())
            doc = json.loads(plain.decode("utf-8", "surrogatepass"))
        except VaultError:
            raise
        except Exception:  # noqa: BLE001 - any failure means the state is unusable
            raise VaultError("vault state cannot be decrypted (wrong key, or the state was modified)") from None
        for placeholder, value in doc["map"].items():
            if PLACEHOLDER_RE.fullmatch(placeholder) and isinstance(value, str):
                vault._by_placeholder[placeholder] = value
                vault._by_value.setdefault(value, placeholder)
        vault._counter = int(doc.get("n", len(vault._by_placeholder)))
        return vault

    def _aad(self) -> bytes:
        return f"dlp-vault-{_STATE_VERSION}:{self.created!r}:{self.expires!r}".encode()


def _aesgcm(key: bytes):  # type: ignore[no-untyped-def]
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise VaultError("the vault needs the 'cryptography' package (pip install cryptography)") from None
    return AESGCM(key)


# --------------------------------------------------------------------------- keys and files


def data_dir() -> Path:
    explicit = os.environ.get("DLP_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dlp"


def vault_key(path: Path | None = None) -> bytes:
    """The 256-bit vault key: ``$DLP_VAULT_KEY`` (base64) or a key file created
    with mode 0600 in the data directory (``vault.key``)."""
    env = os.environ.get(_KEY_ENV)
    if env:
        try:
            key = base64.b64decode(env, validate=True)
        except ValueError:
            raise VaultError(f"{_KEY_ENV} is not base64") from None
        if len(key) != 32:
            raise VaultError(f"{_KEY_ENV} must decode to 32 bytes")
        return key
    path = path or data_dir() / "vault.key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
        raise VaultError(f"{path}: the vault key file is damaged (expected 32 bytes); delete it to start over")
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise VaultError(f"{path}: cannot read the vault key: {exc.strerror}") from None
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race
        return vault_key(path)
    except OSError as exc:
        raise VaultError(f"{path}: cannot create the vault key: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


class VaultStore:
    """One encrypted vault file per session in ``directory`` (0700), expiring after ``ttl``."""

    def __init__(self, directory: Path | None = None, *, ttl: int = DEFAULT_TTL, key: bytes | None = None) -> None:
        self.directory = directory or data_dir() / "vault"
        self.ttl = ttl
        self._key = key

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = vault_key()
        return self._key

    def path_for(self, session: str) -> Path:
        digest = hashlib.sha256(session.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.directory / f"{digest}.vault"

    def load(self, session: str) -> Vault:
        """The session's vault (a new one if absent, expired or unreadable)."""
        path = self.path_for(session)
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Vault(ttl=self.ttl)
        except (OSError, ValueError):
            return Vault(ttl=self.ttl)
        try:
            vault = Vault.from_state(state, key=self.key)
        except VaultError:
            return Vault(ttl=self.ttl)
        if vault.expired:
            return Vault(ttl=self.ttl)
        return vault

    def save(self, session: str, vault: Vault) -> None:
        # Each save extends the session's life by the TTL.
        vault.expires = time.time() + self.ttl
        state = vault.to_state(key=self.key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".vault-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state, fh)
            os.replace(tmp, self.path_for(session))
        except OSError as exc:
            raise VaultError(f"{self.directory}: cannot write the vault: {exc.strerror}") from None
        self.sweep()

    def delete(self, session: str) -> None:
        try:
            self.path_for(session).unlink()
        except FileNotFoundError:
            pass

    def sweep(self) -> int:
        """Delete expired vault files; returns how many."""
        removed = 0
        now = time.time()
        try:
            entries = list(self.directory.glob("*.vault"))
        except OSError:
            return 0
        for path in entries:
            try:
                if path.stat().st_mtime + self.ttl < now:
                    path.unlink()
                    removed += 1
                    continue
                state = json.loads(path.read_text(encoding="utf-8"))
                if state.get("expires") is not None and float(state["expires"]) <= now:
                    path.unlink()
                    removed += 1
            except (OSError, ValueError, AttributeError, TypeError):
                continue
        return removed


# --------------------------------------------------------------------------- redact / restore


def redact_spans(text: str, spans: Iterable[tuple[int, int, str, Category]], vault: Vault) -> str:
    """Replace byte spans ``(start, end, rule_id, category)`` of ``text``'s UTF-8
    encoding with placeholders. Overlapping spans are merged (the first rule names
    the placeholder)."""
    data = text.encode("utf-8", "surrogatepass")
    merged: list[list] = []
    for start, end, rule_id, category in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            continue
        merged.append([start, end, rule_id, category])
    if not merged:
        return text
    out: list[bytes] = []
    pos = 0
    for start, end, rule_id, category in merged:
        value = data[start:end].decode("utf-8", "surrogatepass")
        out.append(data[pos:start])
        out.append(vault.placeholder_for_value(value, rule_id=rule_id, category=category, avoid=text).encode())
        pos = end
    out.append(data[pos:])
    return b"".join(out).decode("utf-8", "surrogatepass")


def restore_text(text: str, vault: Vault, *, json_escape: bool = False) -> str:
    """Put the originals back; placeholders the vault does not know stay as they are.
    With ``json_escape`` the originals are escaped for the inside of a JSON string."""
    if "<" not in text:
        return text

    def put_back(m: re.Match[str]) -> str:
        value = vault.original(m.group(0))
        if value is None:
            return m.group(0)
        return json.dumps(value, ensure_ascii=False)[1:-1] if json_escape else value

    return PLACEHOLDER_RE.sub(put_back, text)


def _could_become_placeholder(tail: str) -> bool:
    """True if ``tail`` (starting with ``<``) is a proper prefix of some placeholder."""
    if len(tail) > _MAX_PLACEHOLDER or ">" in tail:
        return False
    for head in _KIND_HEADS:
        if len(tail) <= len(head):
            if head.startswith(tail):
                return True
            continue
        if not tail.startswith(head):
            continue
        rest = tail[len(head):]
        return re.fullmatch(r"[a-z0-9-]*|[a-z0-9-]+:\d*", rest) is not None
    return False


class StreamRestorer:
    """Restores placeholders in a stream of text chunks, holding back only a possible
    placeholder prefix at the end of a chunk."""

    __slots__ = ("_pending", "json_escape", "vault")

    def __init__(self, vault: Vault, *, json_escape: bool = False) -> None:
        self.vault = vault
        self.json_escape = json_escape
        self._pending = ""

    @property
    def pending(self) -> str:
        """Text held back (a possible placeholder prefix); for proxies that persist state."""
        return self._pending

    @pending.setter
    def pending(self, value: str) -> None:
        self._pending = value

    def feed(self, chunk: str) -> str:
        buffer = self._pending + chunk
        cut = buffer.rfind("<")
        if cut >= 0 and _could_become_placeholder(buffer[cut:]):
            self._pending = buffer[cut:]
            buffer = buffer[:cut]
        else:
            self._pending = ""
        return restore_text(buffer, self.vault, json_escape=self.json_escape)

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return restore_text(rest, self.vault, json_escape=self.json_escape)
