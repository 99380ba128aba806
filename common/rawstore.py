"""The raw file store: every source's bytes kept once, content-addressed by sha256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawStore:
    """Files under ``root/ab/abcdef…`` named by their sha256; writes are atomic."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Given bytes, store them (once) and return their sha256."""
        sha = sha256_of(data)
        path = self.path_of(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        return sha

    def get(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()
