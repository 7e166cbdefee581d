"""lrkit: shared code of the logic-reasoning fine-tuning toolkit.

Every tool in ``tools/`` is a thin command line over this package: schema and
JSONL IO (``records``), prompt rendering (``prompts``), answer extraction and
metrics (``extraction``, ``metrics``). It is installed (editable) by ``scripts/setup.sh``
from ``pyproject.toml``.

Repository files the package reads by default (``prompts/``, ``configs/``, ``.cache/``) are named
relative to the working folder, which is the repository root, as for LLaMA-Factory's ``dataset_dir: .``.
``SHARED_DATA`` is the competition's real train set beside the repository, the default data of every tool and
script (the shell scripts read it from here: scripts/steps.sh).
"""
from pathlib import Path

SHARED_DATA = Path("../shared/data/round1_train_data.jsonl")
