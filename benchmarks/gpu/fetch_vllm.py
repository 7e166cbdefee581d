"""Fetch vLLM and every wheel it needs that the GPU machine lacks, packed as 56 MiB chunks that calls can carry.

Usage: python benchmarks/gpu/fetch_vllm.py [--vllm vllm==0.21.0] [--out .carry/vllm] [--chunk-mib 56]

The device has torch 2.11 (cu130) and reaches no registry. Read 2026-12-02 from the wheels' METADATA: vllm 0.20-0.24
pin torch==2.11.0 (0.27 pins 2.13, 0.33 pins 2.14); 0.22 and 0.24 need llguidance>=1.7, which this index lacks, so
0.21.0 is the newest whose tree resolves here: 94 wheels, 856 MiB, 14 chunks (xgrammar 0.2.5.post1 and
quack-kernels 0.4.1 after the conflict rounds, about 3 min). It takes transformers >=4.56 except
5.0-5.5.0, so our 5.6.0 stays.
Starting from the requirement given, the script reads each downloaded wheel's Requires-Dist (markers evaluated for
CPython 3.12 on Linux x86-64, with the extras asked for, e.g. mistral_common[image]), skips what the device already has (benchmarks/gpu/device_packages.txt)
or what .whl/ carries for LLaMA-Factory (benchmarks/gpu/wheels.txt), and downloads the rest with --no-deps for the
device's platform. The wheels go to OUT/wheels/, a tar of them is split into OUT/vllm.tar.NNN (git-ignored); the
device side is `cat vllm.tar.* | tar -x` and `pip install --no-index --no-deps --target /tmp/site wheels/*.whl`.
Every requirement is checked against the version chosen; a conflict (vllm 0.21 pins apache-tvm-ffi==0.1.9 while
xgrammar 0.2.9 needs >=0.1.11: found on the device 2026-12-02, "load_lib_module() got an unexpected keyword") makes
the requirer older and the tree is resolved again. The first device run also lacked pycountry, which
pydantic-extra-types[pycountry] (an extra, through mistral_common) needs: extras are followed now.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename

HERE = Path(__file__).resolve().parent
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_24_x86_64", "manylinux_2_17_x86_64",
             "manylinux2014_x86_64", "manylinux1_x86_64", "linux_x86_64"]
ENV = {**default_environment(), "python_version": "3.12", "python_full_version": "3.12.3", "sys_platform": "linux",
       "platform_system": "Linux", "platform_machine": "x86_64", "implementation_name": "cpython",
       "platform_python_implementation": "CPython", "extra": ""}


def _names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(canonicalize_name(re.split(r"[=<>!~ \[]", line, maxsplit=1)[0]))
    return names


def _wheel_for(name: str, specifier, dest: Path) -> Path | None:
    """The newest wheel of name in dest whose version satisfies specifier."""
    found = []
    for wheel in dest.glob("*.whl"):
        wname, version, _, _ = parse_wheel_filename(wheel.name)
        if wname == name and specifier.contains(version, prereleases=True):
            found.append((version, wheel))
    return max(found)[1] if found else None


# Read 2026-12-07: the index holds opentelemetry 1.45.x only in part (api 1.45.3 but sdk 1.45.2, exporters asking for
# packages of other minor versions), and resolving one requirer older at a time cannot reach a consistent set. The
# family is held at 1.44.0, one release that is whole here (92 wheels, 856 MiB, 15 chunks).
CONSTRAINTS = tuple(f"opentelemetry-{p}==1.44.0" for p in ("api", "sdk", "proto", "exporter-otlp", "exporter-otlp-proto-http",
                                                           "exporter-otlp-proto-grpc", "exporter-otlp-proto-common")) \
    + ("opentelemetry-semantic-conventions==0.65b0",)

_CHOSEN: dict[tuple[str, str], Path | None] = {}  # (name, specifier) -> wheel: later rounds ask pip only what is new


def _download(req: Requirement, specifier, dest: Path) -> Path | None:
    """The wheel for req.name under specifier in dest (downloaded unless there), or None when the index has none."""
    name = canonicalize_name(req.name)
    if (name, str(specifier)) in _CHOSEN:
        return _CHOSEN[name, str(specifier)]
    _CHOSEN[name, str(specifier)] = wheel = _fetch(req, specifier, dest, name)
    return wheel


def _fetch(req: Requirement, specifier, dest: Path, name: str) -> Path | None:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version",
           "3.12", "--implementation", "cp", "-d", str(dest), f"{req.name}{specifier}"]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        if "No matching distribution" in proc.stderr:
            return None
        raise SystemExit(f"error: pip download {req.name}{specifier} failed:\n{proc.stderr.strip()[-2000:]}")
    return _wheel_for(name, specifier, dest)


def _requires(wheel: Path, extras: set[str]) -> list[Requirement]:
    """The wheel's requirements for this platform, with those of the requested extras."""
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(meta).decode("utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("Requires-Dist:"):
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker is None or any(req.marker.evaluate({**ENV, "extra": e}) for e in {"", *extras}):
                out.append(req)
    return out


def resolve(root: Requirement, have: set[str], wheels: Path, constraints: dict[str, SpecifierSet]):
    """One pass: every wheel of the tree (first version chosen by the specs seen so far), then the conflicts.

    Returns fetched {name: wheel}, skipped names, missing specs and conflicts [(requirer, requirement, chosen)]."""
    queue, fetched, extras, edges, skipped, missing = [(None, root)], {}, {}, [], set(), []
    seen_specs: dict[str, SpecifierSet] = {}
    while queue:
        parent, req = queue.pop(0)
        name = canonicalize_name(req.name)
        if parent is not None:
            edges.append((parent, req))
        seen_specs[name] = seen_specs.get(name, SpecifierSet()) & req.specifier
        new_extras = set(req.extras) - extras.get(name, set())
        extras.setdefault(name, set()).update(req.extras)
        if name in have:
            skipped.add(name)
            continue
        if name in fetched:
            if new_extras and fetched[name]:  # a later requirer asks for an extra: add its requirements
                queue += [(name, r) for r in _requires(fetched[name], new_extras) if r.marker is not None]
            continue
        wheel = _download(req, seen_specs[name] & constraints.get(name, SpecifierSet()), wheels)
        fetched[name] = wheel
        if wheel is None:
            missing.append(f"{req.name}{seen_specs[name]}")
            continue
        print(f"[vllm] {wheel.name} ({wheel.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)
        queue += [(name, r) for r in _requires(wheel, extras[name])]
    conflicts = []
    for parent, req in edges:
        wheel = fetched.get(canonicalize_name(req.name))
        if wheel is not None:
            version = parse_wheel_filename(wheel.name)[1]
            if not req.specifier.contains(version, prereleases=True):
                conflicts.append((parent, req, version))
    return fetched, skipped, missing, conflicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vllm", default="vllm==0.21.0", help="the requirement to start from (default %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(".carry/vllm"), help="output folder (default %(default)s)")
    parser.add_argument("--chunk-mib", type=int, default=56, help="chunk size in MiB (default %(default)s; a call carries 64 MiB with the working tree, 5.0 MiB on 2026-12-07)")
    parser.add_argument("--constraint", action="append", default=list(CONSTRAINTS), metavar="REQ",
                        help="extra version bound, e.g. 'xgrammar<0.2.9' (repeatable; added to the defaults: "
                             + ", ".join(CONSTRAINTS) + ")")
    parser.add_argument("--rounds", type=int, default=40, help="re-resolutions allowed to settle conflicts")
    args = parser.parse_args()
    have = _names(HERE / "device_packages.txt") | _names(HERE / "wheels.txt")
    wheels = args.out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    root = Requirement(args.vllm)
    constraints: dict[str, SpecifierSet] = {}
    for text in args.constraint:
        req = Requirement(text)
        constraints[canonicalize_name(req.name)] = constraints.get(canonicalize_name(req.name), SpecifierSet()) & req.specifier
    for _ in range(args.rounds):
        fetched, skipped, missing, conflicts = resolve(root, have, wheels, constraints)
        if missing or not conflicts:
            break
        # A requirer wants another version of a package than the one chosen (vllm 0.21 pins apache-tvm-ffi==0.1.9,
        # xgrammar 0.2.9 needs >=0.1.11): take an older version of that requirer and resolve again.
        for parent, req, version in conflicts:
            older = SpecifierSet(f"<{parse_wheel_filename(fetched[parent].name)[1]}")
            print(f"[vllm] conflict: {parent} requires {req} but {canonicalize_name(req.name)} {version} was chosen; "
                  f"trying {parent}{older}", file=sys.stderr)
            constraints[parent] = constraints.get(parent, SpecifierSet()) & older
    if missing:
        print(f"error: the index has no wheel for {', '.join(missing)} (required by the tree of {args.vllm}): "
              "try another --vllm or a --constraint", file=sys.stderr)
        return 1
    if conflicts:
        for parent, req, version in conflicts:
            print(f"error: {parent} requires {req}, {version} chosen", file=sys.stderr)
        return 1
    chosen = {n: w for n, w in fetched.items() if w is not None}
    total = sum(w.stat().st_size for w in chosen.values())
    print(f"[vllm] {len(chosen)} wheels, {total / 2**20:.0f} MiB; on the device already (check the versions):",
          file=sys.stderr)
    print("  " + " ".join(sorted(skipped)), file=sys.stderr)
    tar = args.out / "vllm.tar"
    with tarfile.open(tar, "w") as t:
        for wheel in sorted(chosen.values()):
            t.add(wheel, arcname=f"wheels/{wheel.name}")
    for old in args.out.glob("vllm.tar.*"):
        old.unlink()
    size = args.chunk_mib * 2**20
    with tar.open("rb") as f:
        index = 0
        while chunk := f.read(size):
            (args.out / f"vllm.tar.{index:03d}").write_bytes(chunk)
            index += 1
    tar.unlink()
    print(f"[vllm] {index} chunks of at most {args.chunk_mib} MiB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
