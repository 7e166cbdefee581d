"""Small helpers every command-line tool shares: no tracebacks for bad input, one exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from .records import DataError

# bitsandbytes' CPU backend warns on import, on every CPU run of a machine with AVX512-BF16, that it
# could not fetch an optional fused 4-bit kernel ("Failed to load CPU gemm_4bit_forward ... pip install
# kernels"). Only 4-bit models on CPU would use it, and they work without it; keep real errors.
logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)

BROKEN_PIPE_EXIT = 141  # what a shell reports for a program killed by SIGPIPE (128 + 13)


def run(main) -> None:
    """Call ``main()``; a :class:`DataError` becomes one line on stderr and exit code 1.

    A reader that stops early (``tool ... | head -1``) ends the tool quietly with the shell's
    SIGPIPE status, 141, instead of a BrokenPipeError traceback.
    """
    try:
        code = main()
        sys.stdout.flush()  # a closed pipe shows here, not later at interpreter exit
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the flush at exit cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_EXIT)
    sys.exit(code or 0)


def err(message: str) -> None:
    print(message, file=sys.stderr)


def read_yaml(path: str | Path, compose: bool = False):
    """The YAML document in ``path`` (``compose``: its node tree, whose nodes know their lines), or a DataError
    naming FILE[:LINE]."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader) if compose else yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataError(f"{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None


def read_json(path: str | Path):
    """The JSON document in ``path``, or a DataError naming FILE[:LINE]."""
    import json

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise DataError(f"{path}:{e.lineno}: invalid JSON: {e.msg} (column {e.colno})") from None


def read_yaml_mapping(path: str | Path, what: str = "settings", required: tuple[str, ...] = ()) -> dict:
    """A YAML file holding a mapping (an empty file is an empty one), or a DataError naming FILE[:LINE]."""
    loaded = read_yaml(path)
    loaded = {} if loaded is None else loaded
    if not isinstance(loaded, dict):
        raise DataError(f"{path}: expected a mapping of {what}")
    missing = [key for key in required if key not in loaded]
    if missing:
        raise DataError(f"{path}: missing key(s) {', '.join(missing)}")
    return loaded
