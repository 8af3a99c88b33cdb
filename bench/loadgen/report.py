"""The table printed as phases finish, and the app's figures as ratios of the floor's."""

from __future__ import annotations

from typing import Any


def fmt(v: Any, nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


HEADER = (f"{'target':<22} {'N':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rerun/s':>8} {'cpu ms':>7} {'B/rerun':>8} "
          f"{'load p50':>9} {'burst p95':>9} {'burst s':>8} {'err':>4} {'exc':>4} {'RSS MB before/peak/after':>26}")


def print_phase(label: str, ph: dict[str, Any]) -> None:
    r = ph["rss_mb"]
    b = ph["burst"] or {}
    print(
        f"{label[:22]:<22} {ph['sessions']:>4} {fmt(ph['p50_ms']):>8} {fmt(ph['p95_ms']):>8} {fmt(ph['max_ms']):>8} "
        f"{fmt(ph['reruns_per_s']):>8} {fmt(ph['server_cpu_ms_per_rerun']):>7} {fmt(ph['bytes_per_rerun']):>8} {fmt(ph['load']['p50_ms']):>9} "
        f"{fmt(b.get('p95_ms')):>9} {fmt(b.get('duration_s'), 2):>8} {ph['errors']:>4} {ph['exceptions']:>4} "
        f"{fmt(r['before']):>8}/{fmt(r['peak'])}/{fmt(r['after'])}",
        flush=True,
    )
    for s in ph["exception_samples"][:2]:
        print(f"{'':<16}   exception: {s}", flush=True)
    for s in ph["error_samples"][:2]:
        print(f"{'':<16}   error: {s}", flush=True)
    if ph.get("warning"):
        print(f"{'':<16}   warning: {ph['warning']}", flush=True)


def ratios(app: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    by_n = lambda t: {p["sessions"]: p for p in t["phases"]}  # noqa: E731
    a, f = by_n(app), by_n(floor)
    out: dict[str, Any] = {"per_sessions": {}}
    for n in sorted(set(a) & set(f)):
        pa, pf = a[n], f[n]
        out["per_sessions"][str(n)] = {
            "p50_ratio": round(pa["p50_ms"] / pf["p50_ms"], 2) if pa["p50_ms"] and pf["p50_ms"] else None,
            "throughput_ratio": round(pa["reruns_per_s"] / pf["reruns_per_s"], 2) if pf["reruns_per_s"] else None,
        }
    one = out["per_sessions"].get("1", {})
    fifty = out["per_sessions"].get("50", {})
    out["single_session_p50"] = one.get("p50_ratio")
    out["throughput_50"] = fifty.get("throughput_ratio")
    return out
