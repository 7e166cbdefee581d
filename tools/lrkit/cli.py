"""Small helpers every command-line tool shares: no tracebacks for bad input, one exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from .records import DataError


def run(main) -> None:
    """Call ``main()``; a :class:`DataError` becomes one line on stderr and exit code 1."""
    try:
        code = main()
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code or 0)


def err(message: str) -> None:
    print(message, file=sys.stderr)


def read_yaml_mapping(path: str | Path, what: str = "settings", required: tuple[str, ...] = ()) -> dict:
    """A YAML file holding a mapping (an empty file is an empty one), or a DataError naming FILE[:LINE]."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataError(f"{where}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    loaded = {} if loaded is None else loaded
    if not isinstance(loaded, dict):
        raise DataError(f"{path}: expected a mapping of {what}")
    missing = [key for key in required if key not in loaded]
    if missing:
        raise DataError(f"{path}: missing key(s) {', '.join(missing)}")
    return loaded
