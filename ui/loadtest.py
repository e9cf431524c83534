"""`make loadtest`: N sessions × M questions with follow-ups through the app's public API on loopback.

Starts `python app.py` on a free 127.0.0.1 port, then runs N concurrent sessions, each sending
a chat turn as the page does (its own session hash, so its own server-side conversation). Session i asks about one plan, then
follow-ups that name no province: each answer must cite only that plan, else it counts as a
cross-session leak. Then one session sends a huge question while another asks an ordinary one.
Prints errors, leaks, p50/p95 latency, response sizes and the server's RSS before and after;
every call has a timeout and the whole run a deadline, and the server is stopped at the end.
Exit code 1 when there were errors or leaks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ui.localserver import free_port, stop, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
#: A first question naming the plan's province, then follow-ups that rely on it.
FIRST = "Ai chủ trì đào tạo nghề ở {province}?"
FOLLOW_UPS = [
    "Còn cơ quan phối hợp thì sao?",
    "Thời hạn báo cáo là khi nào?",
    "Kinh phí thực hiện lấy từ đâu?",
    "Sở Tài chính có trách nhiệm gì?",
    "Ai ký kế hoạch này?",
    "Kế hoạch thực hiện quyết định nào?",
    "Còn hợp tác quốc tế về bảo hiểm xã hội?",
    "Sở Lao động - Thương binh và Xã hội phải làm gì?",
    "Mục tiêu đến năm 2020 là gì?",
]
_PLAN_ATTR = re.compile(r'data-plan="([^"]+)"')


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_app(port: int, timeout: float, log_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANS_AUTH_", "PLANS_ALLOW_NO_AUTH"))}
    env.update(PLANS_HOST="127.0.0.1", PLANS_PORT=str(port), PYTHONUNBUFFERED="1")
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/", timeout, log_path, "app.py")
    except RuntimeError:
        stop(proc)
        raise
    return proc


class Chat:
    """One browser-like session over the page's own HTTP API: a session hash of its own (so its own
    server-side conversation), the two steps of a chat turn as the page sends them."""

    def __init__(self, url: str, plans: list[str], timeout: float):
        import httpx

        self.http = httpx.Client(base_url=url, timeout=timeout)
        config = self.http.get("config").json()
        elem = {c["id"]: (c.get("props") or {}).get("elem_id") for c in config["components"]}
        deps = config["dependencies"]
        click = next(
            i
            for i, d in enumerate(deps)
            if any(elem.get(t[0]) == "send" and t[1] == "click" for t in d["targets"])
        )

        def next_backend(after: int) -> int:
            """The first dependency with a Python function in the `.then` chain after `after`."""
            while True:
                after = next(i for i, d in enumerate(deps) if d.get("trigger_after") == after)
                if deps[after]["backend_fn"]:
                    return after

        self.start = click if deps[click]["backend_fn"] else next_backend(click)
        self.finish = next_backend(self.start)
        self.trigger = next(t[0] for t in deps[click]["targets"] if elem.get(t[0]) == "send")
        # the turn's first input is the question (the box itself, or where the page copied it)
        self.start_inputs = ["question"] + [elem.get(i) for i in deps[self.start]["inputs"][1:]]
        self.finish_inputs = [elem.get(i) for i in deps[self.finish]["inputs"]]
        outputs = [elem.get(i) for i in deps[self.finish]["outputs"]]
        self.out_chat, self.out_panel = outputs.index("chatbot"), outputs.index("pa-passages-panel")
        self.session_hash = uuid.uuid4().hex[:12]
        self.plans, self.history = plans, []

    def _data(self, names: list[str | None], question: str = "") -> list:
        values = {"question": question, "chatbot": self.history, "chat-provinces": self.plans}
        return [values.get(n) if n else None for n in names]

    def ask(self, question: str) -> tuple[float, int, set[str], str]:
        """(seconds, response bytes, plans cited, answer text)."""
        started = time.perf_counter()
        body = {"session_hash": self.session_hash, "event_data": None}
        first = self.http.post(
            "gradio_api/run/predict",
            json={
                **body,
                "data": self._data(self.start_inputs, question),
                "fn_index": self.start,
                "trigger_id": self.trigger,
            },
        )
        first.raise_for_status()
        size = len(first.content)
        self.history = first.json()["data"][0]
        joined = self.http.post(
            "gradio_api/queue/join",
            json={
                **body,
                "data": self._data(self.finish_inputs),
                "fn_index": self.finish,
                "trigger_id": None,
            },
        )
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        output = None
        with self.http.stream(
            "GET", "gradio_api/queue/data", params={"session_hash": self.session_hash}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                size += len(line.encode())
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                    output = message
                    break
        if output is None or not output.get("success", True):
            raise RuntimeError(f"no answer: {str(output)[:200]}")
        data = output["output"]["data"]
        seconds = time.perf_counter() - started
        self.history, panel = data[self.out_chat], data[self.out_panel]
        last = self.history[-1]["content"] if self.history else ""
        answer = last if isinstance(last, str) else " ".join(b.get("text", "") for b in last)
        return seconds, size, set(_PLAN_ATTR.findall(panel or "")), answer


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def big_question(url: str, plans, mb: float, probe: Chat, ordinary: str, errors: list[str]) -> dict:
    """Send an `mb`-megabyte question in a new session while `probe` asks `ordinary` questions:
    what came back (status, size, how much of the question was shown) and the probe's latency."""
    import httpx

    chat = Chat(url, [p.id for p in plans], 300)
    question = "Ai chủ trì đào tạo nghề? " + "x" * int(mb * 1024 * 1024)
    result: dict = {"mb": mb}

    def send() -> None:
        started = time.perf_counter()
        try:
            seconds, size, _, _ = chat.ask(question)
            shown = chat.history[0]["content"] if chat.history else ""
            shown = shown if isinstance(shown, str) else " ".join(b.get("text", "") for b in shown)
            result.update(
                status=200,
                seconds=round(seconds, 2),
                response_kb=round(size / 1024, 1),
                shown_chars=len(shown),
            )
        except (
            httpx.HTTPStatusError
        ) as exc:  # refused at the door: an answer too, if it is small and says why
            result.update(
                status=exc.response.status_code,
                seconds=round(time.perf_counter() - started, 2),
                response_kb=round(len(exc.response.content) / 1024, 1),
                detail=exc.response.json().get("detail", "")[:100],
            )
        except Exception as exc:
            errors.append(f"{mb} MB question: {type(exc).__name__}: {exc}"[:300])

    thread = threading.Thread(target=send)
    thread.start()
    time.sleep(0.02)
    during = [probe.ask(ordinary)[0] for _ in range(3)]
    thread.join(timeout=300)
    result["other_session_during_ms"] = round(statistics.median(during) * 1000, 1)
    if result.get("status") not in (200, 413) or result.get("response_kb", 1e9) >= 100:
        errors.append(f"{mb} MB question: {result}")
    return result


def run(sessions: int, questions: int, huge_mb: list[float], deadline_s: float, serve_timeout: float) -> dict:
    from corpus import load_plans

    plans = load_plans()
    port = free_port()
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"plans-loadtest-{port}.log"
    proc = start_app(port, serve_timeout, log_path)
    url = f"http://127.0.0.1:{port}/"
    errors: list[str] = []
    leaks: list[str] = []
    latencies: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s
    try:
        Chat(url, [p.id for p in plans], 60).ask("Xin chào")  # first call pays the lazy loading
        rss_before = rss_mb(proc.pid)

        def one_session(i: int) -> None:
            plan = plans[i % len(plans)]
            try:
                chat = Chat(url, [p.id for p in plans], 120)
            except Exception as exc:
                with lock:
                    errors.append(f"session {i}: connect: {exc}")
                return
            asked = [FIRST.format(province=plan.province), *FOLLOW_UPS][:questions]
            for n, q in enumerate(asked):
                if time.monotonic() > stop_at:
                    with lock:
                        errors.append(f"session {i}: stopped at the deadline after {n} questions")
                    return
                try:
                    seconds, size, cited, _ = chat.ask(q)
                except Exception as exc:
                    with lock:
                        errors.append(f"session {i} q{n}: {type(exc).__name__}: {exc}"[:300])
                    continue
                with lock:
                    latencies.append(seconds)
                    sizes.append(size)
                    if cited - {plan.id}:
                        leaks.append(f"session {i} ({plan.id}) q{n} {q!r} cited {sorted(cited)}")

        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            list(pool.map(one_session, range(sessions)))
        wall = time.perf_counter() - wall
        rss_after_load = rss_mb(proc.pid)

        # a huge question in one session while another asks an ordinary one
        probe = Chat(url, [p.id for p in plans], 120)
        ordinary = FIRST.format(province=plans[0].province)
        alone = statistics.median(probe.ask(ordinary)[0] for _ in range(5))
        huge = [big_question(url, plans, mb, probe, ordinary, errors) for mb in huge_mb]
        rss_after = rss_mb(proc.pid)
    finally:
        stop(proc, timeout=20)
    return {
        "sessions": sessions,
        "questions_per_session": questions,
        "answers": len(latencies),
        "errors": len(errors),
        "cross_session_leaks": len(leaks),
        "p50_ms": round(_pct(latencies, 0.5) * 1000, 1),
        "p95_ms": round(_pct(latencies, 0.95) * 1000, 1),
        "wall_s": round(wall, 1),
        "response_kb_max": round(max(sizes, default=0) / 1024, 1),
        "other_session_alone_ms": round(alone * 1000, 1),
        "huge_questions": [
            {**h, "slowdown": round(h["other_session_during_ms"] / (alone * 1000), 2)} for h in huge
        ],
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after_load": round(rss_after_load, 1),
        "rss_mb_after": round(rss_after, 1),
        "error_samples": errors[:5],
        "leak_samples": leaks[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument(
        "--questions", type=int, default=10, help=f"per session (at most {1 + len(FOLLOW_UPS)})"
    )
    parser.add_argument(
        "--huge-mb", type=float, nargs="+", default=[0.9, 10.0], help="sizes of the huge questions (MB)"
    )
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds before the run stops itself")
    parser.add_argument("--serve-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    if not 0 < args.sessions <= 200 or not 0 < args.questions <= 1 + len(FOLLOW_UPS):
        parser.error(f"--sessions must be 1..200 and --questions 1..{1 + len(FOLLOW_UPS)}")
    report = run(args.sessions, args.questions, args.huge_mb, args.deadline, args.serve_timeout)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if report["errors"] or report["cross_session_leaks"] else 0


if __name__ == "__main__":
    sys.exit(main())
