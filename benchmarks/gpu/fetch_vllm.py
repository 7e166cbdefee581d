"""Fetch vLLM and every wheel it needs that the GPU machine lacks, packed as 62 MiB chunks that calls can carry.

Usage: python benchmarks/gpu/fetch_vllm.py [--vllm vllm==0.21.0] [--out .carry/vllm] [--chunk-mib 62]

The device has torch 2.11 (cu130) and reaches no registry. Read 2026-12-02 from the wheels' METADATA: vllm 0.20-0.24
pin torch==2.11.0 (0.27 pins 2.13, 0.33 pins 2.14); 0.22 and 0.24 need llguidance>=1.7, which this index lacks, so
0.21.0 is the newest whose tree resolves here: 76 wheels, 796 MiB, 13 chunks. It takes transformers >=4.56 except
5.0-5.5.0, so our 5.6.0 stays.
Starting from the requirement given, the script reads each downloaded wheel's Requires-Dist (markers evaluated for
CPython 3.12 on Linux x86-64, extras left out), skips what the device already has (benchmarks/gpu/device_packages.txt)
or what .whl/ carries for LLaMA-Factory (benchmarks/gpu/wheels.txt), and downloads the rest with --no-deps for the
device's platform. The wheels go to OUT/wheels/, a tar of them is split into OUT/vllm.tar.NNN (git-ignored); the
device side is `cat vllm.tar.* | tar -x` and `pip install --no-index --no-deps --target /tmp/site wheels/*.whl`.
Each requirement's spec strings are printed, so a version the device has but that does not satisfy one shows.
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
from packaging.utils import canonicalize_name

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


def _download(spec: str, dest: Path) -> Path | None:
    """The wheel for spec in dest (downloaded unless there), or None when the index has no matching one."""
    before = set(dest.glob("*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version",
           "3.12", "--implementation", "cp", "-d", str(dest), spec]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        if "No matching distribution" in proc.stderr:
            return None
        raise SystemExit(f"error: pip download {spec} failed:\n{proc.stderr.strip()[-2000:]}")
    new = set(dest.glob("*.whl")) - before
    if new:
        return new.pop()
    name = canonicalize_name(Requirement(spec).name)  # already there from an earlier run
    return next(p for p in dest.glob("*.whl") if canonicalize_name(p.name.split("-")[0]) == name)


def _requires(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(meta).decode("utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("Requires-Dist:"):
            req = Requirement(line.split(":", 1)[1].strip())
            if req.marker is None or req.marker.evaluate(ENV):
                out.append(req)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vllm", default="vllm==0.21.0", help="the requirement to start from (default %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(".carry/vllm"), help="output folder (default %(default)s)")
    parser.add_argument("--chunk-mib", type=int, default=62, help="chunk size in MiB (default %(default)s)")
    args = parser.parse_args()
    have = _names(HERE / "device_packages.txt") | _names(HERE / "wheels.txt")
    wheels = args.out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    queue, specs, fetched, skipped, missing = [Requirement(args.vllm)], {}, {}, {}, []
    while queue:
        req = queue.pop(0)
        name = canonicalize_name(req.name)
        specs.setdefault(name, set()).add(str(req.specifier) or "any")
        if name in fetched:
            continue
        if name in have:
            skipped[name] = specs[name]
            continue
        wheel = _download(f"{req.name}{req.specifier}", wheels)
        if wheel is None:
            missing.append(f"{req.name}{req.specifier}")
            fetched[name] = None
            continue
        fetched[name] = wheel
        print(f"[vllm] {wheel.name} ({wheel.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)
        queue += _requires(wheel)
    if missing:
        print(f"error: the index has no wheel for {', '.join(missing)} (required by the tree of {args.vllm}): "
              "try another --vllm", file=sys.stderr)
        return 1
    total = sum(w.stat().st_size for w in fetched.values())
    print(f"[vllm] {len(fetched)} wheels, {total / 2**20:.0f} MiB; on the device already (check the versions):",
          file=sys.stderr)
    for name in sorted(skipped):
        print(f"  {name} {', '.join(sorted(specs[name]))}", file=sys.stderr)
    tar = args.out / "vllm.tar"
    with tarfile.open(tar, "w") as t:
        for wheel in sorted(fetched.values()):
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
