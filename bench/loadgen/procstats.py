"""What the servers use: RSS and CPU ticks of a process tree from /proc, the machine's own
busy ticks, a CPU meter for an interval, a background RSS sampler, and the machine's description."""

from __future__ import annotations

import os
import platform
import resource
import threading
import time
from typing import Any


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out += [int(x) for x in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _process_tree(pids: list[int]):
    """The processes and all their descendants (each once), as pids."""
    seen: set[int] = set()
    stack = list(pids)
    while stack and len(seen) < 10_000:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        yield pid
        stack += _children(pid)


def rss_mb(pids: list[int]) -> float | None:
    """VmRSS of the processes and all their descendants, in MB (None if none is alive)."""
    total_kb = 0
    alive = False
    for pid in _process_tree(pids):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        alive = True
                        break
        except OSError:
            continue
    return round(total_kb / 1024, 1) if alive else None


def pids_listening_on(port: int) -> list[int]:
    """The pids (of processes we can see) holding a listening socket on the loopback port."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(parts[9])
        except OSError:
            pass
    pids = []
    if not inodes:
        return pids
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{d}/fd"):
                link = os.readlink(f"/proc/{d}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    pids.append(int(d))
                    break
        except OSError:
            continue
    return pids


CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine_busy_ticks() -> int:
    """Busy CPU ticks of the whole machine (all cores) from /proc/stat."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return sum(vals[:8]) - idle


def process_ticks(pids: list[int]) -> int:
    """utime+stime ticks of the processes and their descendants (all threads)."""
    total = 0
    for pid in _process_tree(pids):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


class CpuMeter:
    """CPU used during an interval: by the server(s), by this client, and by everything else."""

    def __init__(self, pids: list[int]):
        self.pids = pids

    def start(self) -> "CpuMeter":
        self.t = time.monotonic()
        self.machine = machine_busy_ticks()
        self.server = process_ticks(self.pids)
        self.client = self._self_cpu()
        return self

    @staticmethod
    def _self_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)  # this process only, not the servers it started
        return ru.ru_utime + ru.ru_stime

    def stop(self) -> dict[str, float]:
        dt = max(time.monotonic() - self.t, 1e-6)
        cores = len(os.sched_getaffinity(0))
        machine = (machine_busy_ticks() - self.machine) / CLK_TCK
        server = (process_ticks(self.pids) - self.server) / CLK_TCK
        client = self._self_cpu() - self.client
        other = max(machine - server - client, 0.0)
        pct = lambda x: round(100 * x / (dt * cores), 1)  # noqa: E731 - share of the whole machine
        return {"server_pct": pct(server), "client_pct": pct(client), "other_pct": pct(other),
                "server_cpu_s": round(server, 2)}


def wait_quiet(max_wait: float, threshold_pct: float = 10.0) -> float | None:
    """Wait (at most max_wait s) until other processes use under threshold_pct of the machine."""
    if max_wait <= 0:
        return None
    end = time.monotonic() + max_wait
    busy = 100.0
    while time.monotonic() < end:
        m = CpuMeter([]).start()
        time.sleep(1.0)
        busy = m.stop()["other_pct"]
        if busy < threshold_pct:
            break
    return busy


class RssSampler:
    """Samples RSS every `interval` s in a thread; `mark()` resets the peak."""

    def __init__(self, pids: list[int], interval: float = 0.1):
        self.pids = pids
        self.interval = interval
        self.peak: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            v = rss_mb(self.pids)
            if v is not None and (self.peak is None or v > self.peak):
                self.peak = v

    def start(self) -> "RssSampler":
        if self.pids:
            self._thread.start()
        return self

    def now(self) -> float | None:
        return rss_mb(self.pids) if self.pids else None

    def mark(self) -> float | None:
        v = self.now()
        self.peak = v
        return v

    def stop(self) -> None:
        self._stop.set()


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import streamlit

    return {
        "cores": cores, "cpu_model": model, "mem_gb": mem_gb, "loadavg": os.getloadavg(),
        "python": platform.python_version(), "streamlit": streamlit.__version__,
        "platform": platform.platform(),
    }
