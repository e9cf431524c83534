"""Serving: host, port and password rules, loading the assistant, and `main` (run by `python app.py`).

`main` builds the model and the index on first run, then serves on 127.0.0.1:7860
(PLANS_HOST / PLANS_PORT, GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, or --host / --port). Serving beyond this machine needs a password
(PLANS_AUTH_USER / PLANS_AUTH_PASSWORD) unless PLANS_ALLOW_NO_AUTH=1 or --no-auth says otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.layout import CSS, HEAD, THEME, build_app
from ui.security import DELETE_CACHE, launch_options

if TYPE_CHECKING:
    from assistant import Assistant

log = logging.getLogger("plans.app")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class ConfigError(Exception):
    """A setting that stops the app from starting; the message is one line for the console."""


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    auth: tuple[str, str] | None
    open_without_auth: bool = False


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the plans assistant.")
    parser.add_argument("--host", help=f"address to bind (env PLANS_HOST, default {DEFAULT_HOST})")
    parser.add_argument("--port", help=f"port to bind (env PLANS_PORT, default {DEFAULT_PORT})")
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="allow serving beyond localhost without a password (env PLANS_ALLOW_NO_AUTH=1)",
    )
    return parser.parse_args(argv)


def serve_config(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> ServeConfig:
    """Host, port and authentication from flags, then PLANS_* environment, then defaults.
    Raises ConfigError when the address is open to the network without a password."""
    env = dict(os.environ if env is None else env)
    args = parse_args(argv)
    host = (args.host or env.get("PLANS_HOST") or env.get("GRADIO_SERVER_NAME") or DEFAULT_HOST).strip()
    port_text = str(
        args.port or env.get("PLANS_PORT") or env.get("GRADIO_SERVER_PORT") or DEFAULT_PORT
    ).strip()
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(
            f"PLANS_PORT / --port must be a number from 1 to 65535, not {port_text!r}."
        ) from None
    if not 0 < port < 65536:
        raise ConfigError(f"PLANS_PORT / --port must be a number from 1 to 65535, not {port}.")
    user, password = env.get("PLANS_AUTH_USER", ""), env.get("PLANS_AUTH_PASSWORD", "")
    if bool(user) != bool(password):
        raise ConfigError("set both PLANS_AUTH_USER and PLANS_AUTH_PASSWORD, or neither.")
    auth = (user, password) if user else None
    allow_open = args.no_auth or env.get("PLANS_ALLOW_NO_AUTH", "").strip().lower() in ("1", "true", "yes")
    if not is_loopback(host) and auth is None and not allow_open:
        raise ConfigError(
            f"refusing to serve on {host} (reachable from other machines) without a password: "
            "set PLANS_AUTH_USER and PLANS_AUTH_PASSWORD, or allow it explicitly with "
            "--no-auth / PLANS_ALLOW_NO_AUTH=1, or bind 127.0.0.1."
        )
    return ServeConfig(host, port, auth, open_without_auth=not is_loopback(host) and auth is None)


def check_port(host: str, port: int) -> None:
    """Raise ConfigError, naming the setting to change, when host:port cannot be bound
    (checked before the model loads, so a busy port fails in a second, not a minute)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}): another program may use it; "
                "choose another port with PLANS_PORT=<port> (or GRADIO_SERVER_PORT=<port>, or --port <port>)."
            ) from None


def prepare_assistant(progress: bool = True) -> Assistant:
    """Build the model and the index if missing (with progress on the console), then load them
    from a private copy of the index (Chroma writes while it reads; see index.snapshot). With
    PLANS_LLM_* set, answers are phrased by the LLM as in `python -m assistant ask` (assistant.llm)."""
    from assistant import Assistant
    from assistant.llm import phraser_from_env
    from index.building import build_index
    from index.faults import IndexReadOnlyError
    from index.lock import BuildLockedError
    from index.planmodel import models_current
    from index.settings import get_settings
    from index.snapshot import NOTICE, reading_settings
    from index.store import ModelMismatchError, PlanIndex

    started = time.perf_counter()
    settings = get_settings()
    embedder = PlanIndex(settings).embedder  # one embedding model for building and answering

    def reader() -> PlanIndex:
        return PlanIndex(reading_settings(settings), embedder=embedder)

    index = reader()
    if not index.exists():
        print(
            f"No index at {settings.index_dir}: building it now "
            "(first run: converting the model and embedding the plans takes a minute or two)…",
            flush=True,
        )
        print(build_index(settings, progress=progress, embedder=embedder).summary(), flush=True)
        index = reader()
    elif not models_current(PlanIndex(settings).plans(), settings.index_dir):
        # e.g. after an upgrade that changed a vocabulary: bring them up to date once, here,
        # rather than parse every plan at every start (index.planmodel)
        print("The stored plan models are out of date: updating them…", flush=True)
        try:
            report = build_index(settings, progress=progress, embedder=embedder)
            print(report.summary(), report.models.summary() if report.models else "", flush=True)
            index = reader()
        except (OSError, IndexReadOnlyError, BuildLockedError) as exc:  # answer from plans parsed now
            print(f"could not update them ({exc}); parsing the plans instead", flush=True)
    if not settings.chroma_host:
        print(NOTICE.format(index=settings.index_dir) + ".", flush=True)
    phraser = phraser_from_env()  # PLANS_LLM_*: the same optional phrasing as `python -m assistant ask`
    assistant = Assistant(index.settings, index=index, phraser=phraser)
    print("Loading the model and the index…", flush=True)
    try:
        assistant.warm_up()
    except ModelMismatchError as exc:
        print(f"{exc}: rebuilding the index…", flush=True)
        print(build_index(settings, progress=progress, embedder=embedder).summary(), flush=True)
        index = reader()
        assistant = Assistant(index.settings, index=index, phraser=phraser)
        assistant.warm_up()
    print(f"Ready in {time.perf_counter() - started:.1f}s.", flush=True)
    return assistant


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = serve_config(argv)
        check_port(config.host, config.port)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        assistant = prepare_assistant()
    except Exception as exc:  # a clear line rather than a traceback for the usual problems
        from cli_errors import describe

        log.debug("startup failed", exc_info=True)
        print(f"error: could not load the assistant: {describe(exc)}", file=sys.stderr)
        return 1
    if config.open_without_auth:
        print(f"warning: serving on {config.host} without a password (--no-auth).", file=sys.stderr)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=assistant.settings.concurrency)  # PLANS_CONCURRENCY
    demo.delete_cache = DELETE_CACHE  # exports and other cached files do not pile up
    try:
        demo.launch(
            **launch_options(),  # body cap, no uploads, sign-in slowdown, security headers
            server_name=config.host,
            server_port=config.port,
            auth=config.auth,
            auth_message="Trợ lý kế hoạch — đăng nhập / sign in",
            theme=THEME,
            css=CSS,
            ssr_mode=False,
            mcp_server=False,
            pwa=False,
            inbrowser=False,
            show_error=False,
            head=HEAD,
            footer_links=[],  # no developer footer (English settings, API page): the API is in the README
            run_history=False,
        )
    except OSError as exc:
        print(f"error: cannot serve on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1
    return 0
