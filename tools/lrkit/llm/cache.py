"""Content-addressed response cache: sha256 of (provider, model, prompt, parameters) -> reply.

One small JSON file per request under ``<dir>/<2 hex>/<hash>.json``, written atomically (temporary
file + rename), so a kill at any moment leaves either the whole entry or none, and concurrent
writers never tear one. A reply is cached as soon as it arrives — before it is parsed — so a
paid call is never repeated, whatever happens to the process afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..records import write_json


def request_key(provider: str, model: str, prompt: str, params: dict) -> str:
    blob = json.dumps({"provider": provider, "model": model, "prompt": prompt, "params": params},
                      ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """``get``/``put`` by request key; ``root=None`` disables caching."""

    def __init__(self, root: str | os.PathLike | None):
        self.root = Path(root) if root else None

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        if self.root is None:
            return None
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, or damaged by something other than us: ask again

    def put(self, key: str, value: dict) -> None:
        if self.root is not None:
            write_json(self._path(key), value)
