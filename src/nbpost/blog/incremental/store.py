"""What the last full build collected and rendered, kept for the builds after an edit.

``<blog>/.nbpost/build-store.bin`` holds the last full build's ``read.facts.CollectMemo``
(every post, made) and its ``render.memo.RenderMemo`` (each post's lines and entries), under
the token its snapshot (``incremental.snapshot``) names. A build that finds only some posts
changed loads it, patches the re-read posts in (``read.patch``) and renders with the memo:
a fraction of a full build on a large blog.

Why pickle: the store is 10,000 ``Post`` objects with their metadata (YAML values, aware
datetimes); pickle loads them in about 0.04 s, while JSON needs a codec for every kind of
value and loads no faster. But pickle runs code when it loads, and a cloned repository is
untrusted (docs/security.md): a committed or planted ``.nbpost/`` must not run anything. So
the file is signed (HMAC-SHA256) under a key that never lives in a project
(``$XDG_CACHE_HOME/nbpost/store-key``, else ``~/.cache/nbpost/store-key``: 32 random bytes,
created by this user with mode 0600, in a folder only this user can write), and it is unpickled
only when the signature verifies. A store signed under another key, damaged or truncated is
ignored, and the build collects the whole blog. Without a usable key nothing is stored.

The pieces' texts (the archive, ``POSTS.md`` and ``categories.json`` as last made: two thirds
of the file) are bytes that are never unpickled, so they follow the signed part, checked by
the CRC-32 and lengths the signed part holds: signing them too cost 8 ms of SHA-256 after
every edit of a 10,000-post blog (CRC-32 takes 3), and whoever could change them could change
the outputs themselves. Layout: ``MAGIC``, the HMAC of the signed part, its length (8 bytes,
little-endian), the signed part, the texts.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import stat as stat_module
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...project.state import read_state, remove_state, write_state
from ..read.facts import CollectMemo
from ..render.memo import RenderMemo

STORE_FILE = "build-store.bin"
MAGIC = b"nbpost-store-8\n"  # 8: the pieces' texts after the signed part
KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass
class BuildStore:
    """What a full build keeps for the builds after an edit: its collection and its pieces,
    under the build key and the token its snapshot names."""

    collected: CollectMemo
    rendered: RenderMemo
    key: str = ""
    token: str = ""


def key_path() -> Path:
    """Where this user's store key lives (outside every project)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nbpost" / "store-key"


def _private(info: os.stat_result, kind: int, mode: int) -> bool:
    """Owned by this user, of ``kind``, and not writable (nor readable: ``mode``) by others."""
    return (
        stat_module.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & mode
    )


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not _private(info, stat_module.S_IFREG, 0o077):
            return None  # another user's, or readable by others: not a secret
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _secret(create: bool) -> bytes | None:
    """This user's store key (made when ``create`` and missing), or None."""
    if not hasattr(os, "getuid"):
        return None  # no owner to check (Windows): the build runs without a store
    path = key_path()
    try:
        folder = os.lstat(path.parent)
    except FileNotFoundError:
        if not create:
            return None
        try:
            os.makedirs(path.parent, mode=0o700, exist_ok=True)
            folder = os.lstat(path.parent)
        except OSError:
            return None
    except OSError:
        return None
    if not _private(folder, stat_module.S_IFDIR, 0o022):
        return None  # someone else could swap the key: not trusted
    key = _read_key(path)
    if key is not None or not create:
        return key
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            os.write(fd, os.urandom(KEY_BYTES))
        finally:
            os.close(fd)
    return _read_key(path)  # another process may have made it first: read what is there


def _sign(secret: bytes, data: bytes | memoryview) -> bytes:
    # HMAC-SHA256: OpenSSL's SHA-256 uses the CPU's SHA extensions, 0.009 s for a 12 MB store
    # where keyed BLAKE2b took 0.015 s (measured 2026-12-07 on the benchmark machine).
    mac = hmac.new(secret, MAGIC, hashlib.sha256)
    mac.update(data)
    return mac.digest()


def save_store(root: str | Path, payload: Any) -> bool:
    """Sign and write the store; remove it (return False) when it cannot be kept."""
    secret = _secret(create=True)
    if secret is None:
        remove_state(root, STORE_FILE)
        return False
    texts = _detach_texts(payload)
    try:
        blob = b"".join(text for _, text in texts)
        lengths = [(kind, len(text)) for kind, text in texts]
        data = pickle.dumps((payload, lengths, zlib.crc32(blob)), pickle.HIGHEST_PROTOCOL)
    except (ValueError, TypeError, pickle.PicklingError, RecursionError):
        remove_state(root, STORE_FILE)  # a value neither marshal nor pickle takes: no store
        return False
    finally:
        _attach_texts(payload, texts)  # the memo in memory (``watch``) keeps them
    size = len(data).to_bytes(8, "little")
    signature = _sign(secret, size + data)
    try:
        write_state(root, STORE_FILE, b"".join([MAGIC, signature, size, data, blob]))
    except OSError:
        remove_state(root, STORE_FILE)
        return False
    return True


def load_store(root: str | Path) -> Any | None:
    """The stored payload when its signature verifies under this user's key, else None."""
    stored = read_state(root, STORE_FILE)
    if stored is None or not stored[0].startswith(MAGIC):
        return None
    secret = _secret(create=False)
    if secret is None:
        return None
    raw = memoryview(stored[0])
    head = len(MAGIC)
    signature, size = raw[head : head + 32], raw[head + 32 : head + 40]
    end = head + 40 + int.from_bytes(size, "little")
    signed, blob = raw[head + 32 : end], raw[end:]
    if len(size) < 8 or not hmac.compare_digest(_sign(secret, signed), bytes(signature)):
        return None  # not signed here: never unpickled
    try:
        payload, lengths, crc = pickle.loads(signed[8:])
        if zlib.crc32(blob) != crc or sum(length for _, length in lengths) != len(blob):
            return None  # the texts were damaged since
        texts, at = [], 0
        for kind, length in lengths:
            texts.append((kind, bytes(blob[at : at + length])))
            at += length
        _attach_texts(payload, texts)
        return payload
    except Exception:  # a store from another version of the code: build afresh
        return None


def _detach_texts(store: Any) -> list[tuple[str, bytes]]:
    """Take the pieces' texts that are bytes out of ``store``'s render memo, by kind."""
    texts = []
    for kind, pieces in store.rendered.kinds.items():
        if isinstance(pieces.text, bytes):
            texts.append((kind, pieces.text))
            pieces.text = None
    return texts


def _attach_texts(store: Any, texts: list[tuple[str, bytes]]) -> None:
    """Put texts ``_detach_texts`` took back (a kind missing: KeyError)."""
    for kind, text in texts:
        store.rendered.kinds[kind].text = text
