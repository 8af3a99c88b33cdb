"""Rate limits for one browser session: a token bucket whose state is a small dict the caller
keeps (in st.session_state), so nothing per user lives in this module."""

from __future__ import annotations

import time
from typing import MutableMapping

JOIN_RATE = (5, 1 / 10)  # 5 at once, then one every 10 s
SUBMIT_RATE = (6, 1 / 15)  # 6 at once, then one every 15 s
CREATE_RATE = (3, 1 / 60)


def allow(bucket: MutableMapping[str, float], burst: float, per_second: float, now: float | None = None) -> bool:
    """Take one token from `bucket` if there is one; False when the caller must wait."""
    now = time.monotonic() if now is None else now
    tokens = bucket.get("tokens", float(burst))
    last = bucket.get("at", now)
    tokens = min(float(burst), tokens + max(0.0, now - last) * per_second)
    bucket["at"] = now
    if tokens >= 1:
        bucket["tokens"] = tokens - 1
        return True
    bucket["tokens"] = tokens
    return False


def wait_seconds(bucket: MutableMapping[str, float], per_second: float) -> int:
    """How long until the next token, rounded up (for the notice)."""
    missing = max(0.0, 1 - bucket.get("tokens", 1.0))
    return max(1, int(missing / per_second + 0.999))
