"""Load generation and result tables for the benchmarks; the stack they measure is tests/stack.py.

Load comes from ``hey`` (Debian package ``hey``), installed with apt-get when missing. Every run
is bounded (``-z`` seconds) and aims at 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/ first; the stack lives in tests/
    sys.path.insert(0, str(ROOT))

from tests.stack import PREFIX, Stack, free_port  # noqa: E402,F401  (re-exported for the benches)


# ----- load --------------------------------------------------------------------------------------
def ensure_hey() -> str:
    """Path of ``hey``; installs the Debian package when missing (these machines run as root)."""
    found = shutil.which("hey")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("hey not found: installing the Debian package hey (apt-get)...", file=sys.stderr, flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "hey"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which("hey")
    if not found:
        raise RuntimeError("apt-get installed hey but it is not on PATH")
    return found


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: Mapping[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Answers that are not 2xx/4xx (5xx, or no answer at all) — what a load test must not see."""
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 500)


def drive(name: str, url: str, *, seconds: float, concurrency: int, method: str = "GET",
          body: bytes | None = None, content_type: str = "application/json",
          headers: Mapping[str, str] | None = None) -> LoadResult:
    """``hey -z`` against ``url`` (loopback only); per-request CSV gives exact percentiles."""
    if not url.startswith("http://127."):
        raise ValueError(f"load goes to loopback only, not {url}")
    cmd = [ensure_hey(), "-z", f"{seconds:g}s", "-c", str(concurrency), "-m", method, "-o", "csv",
           "-disable-compression", "-T", content_type]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    body_file = None
    if body is not None:
        fd, body_file = tempfile.mkstemp(prefix="deepseek-bench-body-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        cmd += ["-D", body_file]
    try:
        out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60,
                             check=True).stdout
    finally:
        if body_file is not None:
            os.unlink(body_file)
    times: list[float] = []
    statuses: dict[int, int] = {}
    last_offset = 0.0
    for row in csv.DictReader(io.StringIO(out)):
        try:
            times.append(float(row["response-time"]) * 1000)
            code = int(row["status-code"])
            last_offset = max(last_offset, float(row["offset"]) + float(row["response-time"]))
        except (KeyError, ValueError):
            continue
        statuses[code] = statuses.get(code, 0) + 1
    if not times:
        raise RuntimeError(f"hey recorded no answers from {url}")
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else [times[0]] * 99
    return LoadResult(name, len(times), last_offset or seconds, q[49], q[98], statuses)


def cpu_model(default: str = "unknown CPU") -> str:
    """The processor's model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = cpu_model()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {sys.version.split()[0]}"


def fmt_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def write_result(name: str, data: Any) -> Path:
    out = ROOT / "bench/output"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def yaml_dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False).encode()
