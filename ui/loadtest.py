"""`make loadtest`: N sessions × M questions with follow-ups through the app's public API on loopback.

Starts `python app.py` on a free 127.0.0.1 port, then runs N concurrent sessions (one Gradio
client each, so each has its own server-side conversation). Session i asks about one plan, then
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
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}: see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"app.py did not serve within {timeout:.0f} s: see {log_path}")


class Chat:
    """One browser-like session: its own client (session hash) and its own chat history."""

    def __init__(self, url: str, plans: list[str], timeout: float):
        from gradio_client import Client

        self.client = Client(url, verbose=False)
        self.endpoint = next(
            name
            for name in self.client.view_api(print_info=False, return_format="dict")["named_endpoints"]
            if name.startswith("/respond")
        )
        self.plans, self.timeout, self.history = plans, timeout, []

    def ask(self, question: str) -> tuple[float, int, set[str], str]:
        """(seconds, response bytes, plans cited, answer text)."""
        started = time.perf_counter()
        job = self.client.submit(question, self.history, self.plans, "vi", api_name=self.endpoint)
        result = job.result(timeout=self.timeout)
        seconds = time.perf_counter() - started
        history, panel = result[0], result[1]
        size = len(json.dumps(result, ensure_ascii=False).encode())
        self.history = history
        answer = history[-1]["content"] if history else ""
        return seconds, size, set(_PLAN_ATTR.findall(panel or "")), answer


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(sessions: int, questions: int, huge_mb: float, deadline_s: float, serve_timeout: float) -> dict:
    from corpus import load_plans

    plans = load_plans()
    port = _free_port()
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
        alone = [probe.ask(ordinary)[0] for _ in range(3)]
        huge_chat = Chat(url, [p.id for p in plans], 300)
        huge_q = "Ai chủ trì đào tạo nghề? " + "x" * int(huge_mb * 1024 * 1024)
        huge_result: dict = {}

        def send_huge() -> None:
            try:
                seconds, size, _, _ = huge_chat.ask(huge_q)
                huge_result.update(seconds=seconds, bytes=size)
            except Exception as exc:
                huge_result.update(error=f"{type(exc).__name__}: {exc}"[:300])

        thread = threading.Thread(target=send_huge)
        thread.start()
        time.sleep(0.05)
        during = [probe.ask(ordinary)[0] for _ in range(3)]
        thread.join(timeout=300)
        if "error" in huge_result:
            errors.append(f"huge question: {huge_result['error']}")
        rss_after = rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
    alone_s, during_s = statistics.median(alone), statistics.median(during)
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
        "huge_question_mb": huge_mb,
        "huge_response_kb": round(huge_result.get("bytes", 0) / 1024, 1),
        "huge_seconds": round(huge_result.get("seconds", float("nan")), 2),
        "other_session_alone_ms": round(alone_s * 1000, 1),
        "other_session_during_huge_ms": round(during_s * 1000, 1),
        "slowdown": round(during_s / alone_s, 2) if alone_s else None,
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
    parser.add_argument("--huge-mb", type=float, default=10.0, help="size of the huge question")
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
