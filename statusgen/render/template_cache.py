"""Compiled templates kept between builds, signed so that only this user's builds' are loaded.

Jinja's own file cache loads whatever bytecode it finds, and loading bytecode runs it: a
`.statusgen-cache` committed into a repository (or restored from a shared CI cache) would run
its author's code in every build, sandbox or not. Each entry here carries an HMAC-SHA256 of
its bytes under a key that never lives beside the content (see output.cache.signing_key); an
entry whose signature does not match is ignored and the template compiled again.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

# Sandboxed code differs from unsandboxed code: never the files of an unsandboxed cache.
FILE_NAME = "__statusgen_sandboxed_{}.cache"
_DIGEST = hashlib.sha256
_MAC_BYTES = _DIGEST().digest_size


class SignedBytecodeCache(BytecodeCache):
    """One signed file per template in `directory`."""

    def __init__(self, directory: Path, key: bytes, namespace: str = "") -> None:
        self.directory = directory
        self._key = key
        # Templates compile differently per language (their constant words are translated
        # when compiled): each language and catalogue version has entries of its own.
        self._namespace = namespace

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self._namespace}|{name}", filename)

    def _path(self, bucket: Bucket) -> Path:
        return self.directory / FILE_NAME.format(bucket.key)

    def _mac(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, _DIGEST).digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            stored = self._path(bucket).read_bytes()
        except OSError:
            return
        mac, data = stored[:_MAC_BYTES], stored[_MAC_BYTES:]
        if len(mac) == _MAC_BYTES and hmac.compare_digest(mac, self._mac(data)):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        try:
            handle, temporary = tempfile.mkstemp(prefix=".template-", dir=self.directory)
            with os.fdopen(handle, "wb") as stream:
                stream.write(self._mac(data) + data)
            os.replace(temporary, self._path(bucket))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def clear(self) -> None:
        for path in self.directory.glob(FILE_NAME.format("*")):
            path.unlink(missing_ok=True)
