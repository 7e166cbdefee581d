"""lrkit: shared code of the logic-reasoning fine-tuning toolkit.

Every tool in ``tools/`` is a thin command line over this package: schema and
JSONL IO (``records``), prompt rendering (``prompts``), answer extraction and
metrics (``answers``, ``metrics``). Tools put ``tools/`` on ``sys.path`` simply
by living there; tests do it through ``pytest.ini``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
