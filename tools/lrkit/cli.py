"""Small helpers every command-line tool shares: no tracebacks for bad input, one exit code."""

from __future__ import annotations

import sys

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
