"""benchmarks/crossval/device_prepare.sh on a local clone whose downloaded parts (model and vLLM chunks, wheels,
scoring items) are already there: it builds the device data files to the sha256 the README records (the generators
still make the files every measured cell trained on), rebuilds repo.tar, and a wrong file is one error line."""

from __future__ import annotations

import os
import subprocess
import tarfile

import pytest

from conftest import FIXTURES, REPO

SCRIPT = "benchmarks/crossval/device_prepare.sh"


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A clone of this repository's HEAD with the venv linked and the downloads' markers in place."""
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.skip("no .venv (scripts/setup.sh makes it)")
    root = tmp_path_factory.mktemp("prep") / "repo"
    subprocess.run(["git", "clone", "-q", str(REPO), str(root)], check=True, timeout=300)
    if subprocess.run(["git", "cat-file", "-e", "a7907ac"], cwd=root).returncode:
        pytest.skip("a shallow clone: commit a7907ac (the held-out file's generators) is not in its history")
    (root / ".venv").symlink_to(REPO / ".venv")
    for marker in (".carry/qwen/qwen2.5-coder-1.5b-instruct.gguf.019", ".carry/vllm/vllm.tar.000",
                   "data/work/gpu_bench/dataset_info.json", ".bench/qwen_items.json"):
        (root / marker).parent.mkdir(parents=True, exist_ok=True)
        (root / marker).write_text("{}")
    (root / ".whl" / "bnb").mkdir(parents=True)
    return root


def prepare(root, **env):
    return subprocess.run(["bash", SCRIPT], cwd=root, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "DATA": str(FIXTURES / "sample_train.jsonl"), **env})


def test_device_files_reproduce_their_recorded_sha256(clone):
    proc = prepare(clone)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for present in ("model chunks", "vLLM chunks", "wheels and GPU-bench data", "scoring items"):
        assert f"[device_prepare] {present}: present" in proc.stdout
    for name, digest in (("device_spare/gen4k.jsonl", "28cf1002"), ("device_spare/gen4k_shaped.jsonl", "236db7de"),
                         ("device_spare/new1k.jsonl", "22cd85ca"), ("device/heldout.jsonl", "ca5459f8")):
        assert f"data/work/{name}: sha256 {digest}... as expected" in proc.stdout
    device = clone / "data" / "work" / "device"
    assert (device / "real.jsonl").read_bytes() == (FIXTURES / "sample_train.jsonl").read_bytes()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True).stdout
    assert f"repo.tar: {head.strip()}" in proc.stdout
    with tarfile.open(device / "repo.tar") as tar:
        assert SCRIPT in tar.getnames()
    assert "call 1 carries" in proc.stdout


def test_a_file_that_differs_is_one_error_line(clone):
    spare = clone / "data" / "work" / "device_spare" / "new1k.jsonl"
    spare.parent.mkdir(parents=True, exist_ok=True)
    spare.write_text("{}\n")
    proc = prepare(clone)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: device_prepare.sh: data/work/device_spare/new1k.jsonl: sha256 ")
    assert proc.stderr.strip().endswith("expected 22cd85ca... (delete it and run again)")


def test_without_a_train_set_it_says_so(clone):
    proc = prepare(clone, DATA=str(clone / "missing.jsonl"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: device_prepare.sh: no train set at {clone / 'missing.jsonl'} (set DATA)"


def test_help_and_a_stray_argument(clone):
    shown = subprocess.run(["bash", SCRIPT, "--help"], cwd=clone, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "Usage: bash benchmarks/crossval/device_prepare.sh" in shown.stdout
    bad = subprocess.run(["bash", SCRIPT, "now"], cwd=clone, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == ("error: device_prepare.sh takes no arguments (got 'now'): set DATA, VLLM, "
                                  "DEVICE_SPARE instead")
