"""What the workbench worked out once and may reuse, kept per user in the workbench home
(`cache/`), never in a folder it examines.

An entry is only as trusted as the user's own account: each is signed with a key kept beside
it (HMAC-SHA256, made on first use, readable by the user alone), and an entry whose signature
does not match is never unpickled: it reads as no entry at all. A cache that cannot be read or
written only costs the next caller its time.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.atomic import write_atomic
from workbench.hashing.platform import SYSTEM
from workbench.preferences.storage import workbench_home

log = logging.getLogger(__name__)

_SIGNATURE = hashlib.sha256().digest_size
_KEY_BYTES = 32


def chain_key(kind: str, scope: str, links: Sequence[tuple[str, str]]) -> str:
    """The entry of a value worked out from `links` (each a name and the content hash that
    binds it, in order) of `scope` (e.g. the folder they are in)."""
    text = "\n".join([kind, scope, *(f"{name} {digest}" for name, digest in links)])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def load_chain(kind: str, scope: str, links: Sequence[tuple[str, str]], *, behind: int = 1
               ) -> tuple[Any, int]:
    """The value kept for all of `links`, else for all but the last, ... up to `behind` links
    short, with how many links it covers; (None, 0) when there is none."""
    for upto in range(len(links), max(len(links) - behind - 1, 0), -1):
        value = load(kind, chain_key(kind, scope, links[:upto]))
        if value is not None:
            return value, upto
    return None, 0


def store_chain(kind: str, scope: str, links: Sequence[tuple[str, str]], value: Any, *,
                replacing: int) -> None:
    """Keep `value` for all of `links`, in place of the one kept for the first `replacing`."""
    store(kind, chain_key(kind, scope, links), value,
          replaces=chain_key(kind, scope, links[:replacing]))


def load(kind: str, entry: str) -> Any | None:
    """What `store(kind, entry, ...)` kept, or None when there is none or it is not signed by
    this user."""
    try:
        data = (_folder(kind) / entry).read_bytes()
        secret = _secret()
    except OSError:
        return None
    signature, payload = data[:_SIGNATURE], data[_SIGNATURE:]
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        log.warning("cache entry %s/%s is not signed by this user; not used", kind, entry)
        return None
    try:  # signed by this user's own key: never bytes someone else wrote
        return pickle.loads(payload)
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
        return None  # kept by another version of the workbench


def store(kind: str, entry: str, value: Any, replaces: str | None = None) -> None:
    """Keep `value` (no object in it may hold itself) under `entry`, readable by the user
    alone, and drop the entry it `replaces`."""
    try:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo of every object (200,000 names: ~20 MB); no cycles here
        pickler.dump(value)
        payload = buffer.getvalue()
        del buffer
        _folder(kind).mkdir(parents=True, exist_ok=True)
        write_atomic(_folder(kind) / entry, [_sign(_secret(), payload), payload], 0o600)
        if replaces is not None and replaces != entry:
            with contextlib.suppress(FileNotFoundError):
                (_folder(kind) / replaces).unlink()
    except OSError as exc:
        log.info("cache entry %s/%s not written: %s", kind, entry, exc)


def _folder(kind: str) -> Path:
    return workbench_home() / "cache" / kind


def _secret() -> bytes:
    """This user's signing key, made on first use. Raises OSError."""
    path = workbench_home() / "cache" / "key"
    with contextlib.suppress(FileNotFoundError):
        if len(secret := path.read_bytes()) == _KEY_BYTES:
            return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        handle = SYSTEM.open_new(path, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(_KEY_BYTES))
            out.flush()
            SYSTEM.fsync(out.fileno())
    secret = path.read_bytes()
    if len(secret) != _KEY_BYTES:  # another process is still writing it
        raise OSError(f"{path} is not a whole key yet")
    return secret


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()
