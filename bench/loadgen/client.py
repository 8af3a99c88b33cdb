"""The browser's side of Streamlit's protocol: a minimal HTTP GET and a Session (one tab: a
websocket on /_stcore/stream, the ForwardMsg cache, the widgets it can click)."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any


async def http_get(
    host: str, port: int, path: str, cookies: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, list[str]], int]:
    """A minimal HTTP/1.1 GET (no dependency): status, headers (lower-case names), body bytes."""

    async def go() -> tuple[int, dict[str, list[str]], int]:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nAccept-Encoding: gzip\r\n"
            if cookies:
                head += "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n"
            writer.write((head + "\r\n").encode())
            await writer.drain()
            data = await reader.read(-1)
        finally:
            writer.close()
        header_blob, _, body = data.partition(b"\r\n\r\n")
        lines = header_blob.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers.setdefault(k.strip().lower(), []).append(v.strip())
        return status, headers, len(data)

    return await asyncio.wait_for(go(), timeout)


# Widgets a simulated student clicks, and how often relative to each other.
CLICKABLE = ("radio", "selectbox", "button_group")
CLICK_WEIGHTS = {"radio": 0.75, "selectbox": 0.1, "button_group": 0.15}


class SessionFailed(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass
class RunResult:
    latency_ms: float
    bytes: int
    msgs: int


@dataclass
class Session:
    """One browser tab: a websocket plus the browser's ForwardMsg cache."""

    ws_url: str
    host: str
    port: int
    timeout: float
    http_preflight: bool
    cookies: dict[str, str] = field(default_factory=dict)
    ws: Any = None
    cache: dict[str, int] = field(default_factory=dict)  # hash -> run count last used
    max_cached_age: int = 2
    run_count: int = 0
    exceptions: list[str] = field(default_factory=list)
    warnings: int = 0
    errors: list[str] = field(default_factory=list)
    upstreams: set[str] = field(default_factory=set)
    http_bytes: int = 0
    query_string: str = ""  # what the address bar holds (the app may rewrite it)
    widgets: dict[str, tuple[str, list[str], str | None]] = field(default_factory=dict)  # id -> kind, options, value
    _seen: dict[str, tuple[str, list[str], str | None]] = field(default_factory=dict)
    _cached_widgets: dict[str, Any] = field(default_factory=dict)
    clicks: dict[str, int] = field(default_factory=dict)
    # every widget drawn so far, by id: kind, label, form id (text inputs, buttons ... for forms)
    named: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    first_msg_at: float = 0.0  # when the last finished run's first message came
    last_status: str = ""  # the last script_finished status's name
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id -> run_every seconds

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        if self.http_preflight:
            for path in ("/_stcore/health", "/_stcore/host-config"):
                status, headers, n = await http_get(self.host, self.port, path, self.cookies, self.timeout)
                self.http_bytes += n
                if status != 200:
                    raise SessionFailed("http", f"GET {path} -> {status}")
                for sc in headers.get("set-cookie", []):
                    k, _, v = sc.split(";", 1)[0].partition("=")
                    self.cookies[k.strip()] = v.strip()
                for up in headers.get("x-upstream", []):
                    self.upstreams.add(up)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.ws = await asyncio.wait_for(
                connect(
                    self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
                    additional_headers=headers, open_timeout=self.timeout, ping_interval=None,
                    max_queue=None,
                ),
                self.timeout,
            )
        except asyncio.TimeoutError as exc:
            raise SessionFailed("connect_timeout") from exc
        except OSError as exc:
            raise SessionFailed("connect", repr(exc)) from exc
        except Exception as exc:  # handshake rejected etc.
            raise SessionFailed("connect", repr(exc)) from exc
        resp = getattr(self.ws, "response", None)
        if resp is not None:
            up = resp.headers.get("X-Upstream")
            if up:
                self.upstreams.add(up)

    def find_widget(self, kind: str, *, key: str | None = None, label: str | None = None) -> str | None:
        """The id of a drawn widget of `kind` with user key `key` (ids end in `-<key>`) or label `label`."""
        for wid, (k, lab, _) in self.named.items():
            if k == kind and ((key is not None and wid.endswith("-" + key)) or (label is not None and lab == label)):
                return wid
        return None

    async def send_rerun(
        self, query_string: str | None = None, click: tuple[str, str, str] | None = None,
        states: list[tuple[str, str, Any]] | None = None, fragment_id: str = "",
    ) -> float:
        """Send a rerun: a link opened (`query_string`), a click (`(widget id, kind, option)`) or
        other widget values (`states`: `(widget id, WidgetState field, value)`, e.g. a form's text
        inputs and its submit button's `trigger_value`)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        if query_string is not None:
            self.query_string = query_string
        msg.rerun_script.query_string = self.query_string
        if fragment_id:  # the browser's timer for st.fragment(run_every=...)
            msg.rerun_script.fragment_id = fragment_id
            msg.rerun_script.is_auto_rerun = True
        if click is not None:
            wid, kind, option = click
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            if kind == "button_group":
                w.string_array_value.data.append(option)
            else:
                w.string_value = option
            k, opts, _ = self.widgets[wid]
            self.widgets[wid] = (k, opts, option)
            self.clicks[kind] = self.clicks.get(kind, 0) + 1
        for wid, fld, value in states or ():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            setattr(w, fld, value)
        msg.rerun_script.cached_message_hashes.extend(self.cache.keys())
        t0 = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:
            raise SessionFailed("closed", repr(exc)) from exc
        return t0

    async def finish_run(self, t0: float) -> RunResult:
        """Read ForwardMsgs until script_finished; account bytes, exceptions and the cache."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        nbytes = 0
        nmsgs = 0
        deadline = t0 + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SessionFailed("timeout", f"no script_finished within {self.timeout}s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except asyncio.TimeoutError as exc:
                raise SessionFailed("timeout", f"no script_finished within {self.timeout}s") from exc
            except Exception as exc:
                raise SessionFailed("closed", repr(exc)) from exc
            if isinstance(data, str):
                raise SessionFailed("protocol", "text frame")
            nbytes += len(data)
            nmsgs += 1
            if nmsgs == 1:
                self.first_msg_at = time.perf_counter()
            m = ForwardMsg()
            m.ParseFromString(data)
            kind = m.WhichOneof("type")
            if m.metadata.cacheable and m.hash:
                self.cache[m.hash] = self.run_count
            if kind == "ref_hash":
                if m.ref_hash not in self.cache:
                    raise SessionFailed("cache_miss", m.ref_hash)
                self.cache[m.ref_hash] = self.run_count
                if m.ref_hash in self._cached_widgets:  # a widget the browser already holds
                    wid, info = self._cached_widgets[m.ref_hash]
                    self._seen[wid] = info
            elif kind == "new_session":
                self.max_cached_age = m.new_session.config.max_cached_message_age or 2
                self._seen = {}
            elif kind == "auto_rerun":
                self.auto_reruns[m.auto_rerun.fragment_id] = m.auto_rerun.interval
            elif kind == "page_info_changed":
                self.query_string = m.page_info_changed.query_string
            elif kind == "delta":
                el = m.delta.new_element if m.delta.HasField("new_element") else None
                if el is not None:
                    w = getattr(el, el.WhichOneof("type") or "", None)
                    if w is not None and getattr(w, "id", "") and hasattr(w, "label"):
                        self.named[w.id] = (el.WhichOneof("type"), w.label, getattr(w, "form_id", ""))
                if el is not None and el.WhichOneof("type") in CLICKABLE:
                    noted = self._note_widget(el)
                    if noted and m.metadata.cacheable and m.hash:
                        self._cached_widgets[m.hash] = noted
                if el is not None and el.WhichOneof("type") == "exception":
                    if el.exception.is_warning:
                        self.warnings += 1
                    else:
                        self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
            elif kind == "session_event":
                if m.session_event.HasField("script_compilation_exception"):
                    e = m.session_event.script_compilation_exception
                    self.exceptions.append(f"compile {e.type}: {e.message}"[:300])
            elif kind == "script_finished":
                status = m.script_finished
                self.last_status = ForwardMsg.ScriptFinishedStatus.Name(status)
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.exceptions.append("script_finished: compile error")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by our rerun; wait for ours
                self.run_count += 1
                if status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    self.widgets, self._seen = self._seen, {}
                else:
                    self.widgets.update(self._seen)
                    self._seen = {}
                self.cache = {
                    h: used for h, used in self.cache.items() if self.run_count - used <= self.max_cached_age
                }
                return RunResult((time.perf_counter() - t0) * 1000, nbytes, nmsgs)

    def _note_widget(self, el: Any) -> tuple[str, tuple[str, list[str], str | None]] | None:
        kind = el.WhichOneof("type")
        w = getattr(el, kind)
        if w.disabled or w.form_id:
            return None
        if kind == "button_group":
            if w.click_mode != 0:  # single select only
                return None
            opts = [o.content for o in w.options]
            value = w.raw_values[0] if w.raw_values else (opts[w.default[0]] if w.default and w.default[0] < len(opts) else None)
        else:
            opts = list(w.options)
            if w.HasField("raw_value"):
                value = w.raw_value
            elif w.HasField("default") and 0 <= w.default < len(opts):
                value = opts[w.default]
            else:
                value = None
        if len(opts) < 2:
            return None
        self._seen[w.id] = (kind, opts, value)
        return w.id, (kind, opts, value)

    def pick_click(self, rng: random.Random) -> tuple[str, str, str] | None:
        """A student's click: mostly a term control (radio), sometimes a preset or a view."""
        by_kind: dict[str, list[str]] = {}
        for wid, (kind, _, _) in self.widgets.items():
            by_kind.setdefault(kind, []).append(wid)
        if not by_kind:
            return None
        kinds = sorted(by_kind)
        kind = rng.choices(kinds, weights=[CLICK_WEIGHTS.get(k, 0.1) for k in kinds])[0]
        wid = rng.choice(sorted(by_kind[kind]))
        _, opts, value = self.widgets[wid]
        choices = [o for o in opts if o != value] or opts
        return wid, kind, rng.choice(choices)

    async def rerun(
        self, query_string: str | None = None, click: tuple[str, str, str] | None = None,
        states: list[tuple[str, str, Any]] | None = None, fragment_id: str = "",
    ) -> RunResult:
        t0 = await self.send_rerun(query_string, click, states, fragment_id)
        return await self.finish_run(t0)

    async def interact(self, mode: str, rng: random.Random, query_string: str) -> RunResult:
        """One rerun of the steady phase: a click (mode click) or a new query string (mode query)."""
        if mode == "click":
            click = self.pick_click(rng)
            if click is not None:
                return await self.rerun(click=click)
        return await self.rerun(query_string)

    async def drain(self, seconds: float) -> int:
        """Read (and count) trailing messages for a short while."""
        n = 0
        end = time.perf_counter() + seconds
        while self.ws is not None:
            remaining = end - time.perf_counter()
            if remaining <= 0:
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
                n += len(data)
            except Exception:
                break
        return n

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:
                pass
