"""The launch rules: host, port and password, `python app.py` refusing an open address, and the
assistant the app loads (with the LLM phraser exactly when PLANS_LLM_* say so)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.llm import LLMPhraser
from ui.serve import ConfigError, check_port, prepare_assistant, serve_config

ROOT = Path(__file__).resolve().parents[2]


def test_localhost_needs_no_password():
    config = serve_config([], env={})
    assert (config.host, config.port, config.auth) == ("127.0.0.1", 7860, None)


def test_host_and_port_from_environment_then_flags():
    env = {"PLANS_HOST": "localhost", "PLANS_PORT": "8123"}
    assert (serve_config([], env=env).host, serve_config([], env=env).port) == ("localhost", 8123)
    config = serve_config(["--host", "127.0.0.2", "--port", "9000"], env=env)
    assert (config.host, config.port) == ("127.0.0.2", 9000)
    with pytest.raises(ConfigError, match="PLANS_PORT"):
        serve_config([], env={"PLANS_PORT": "web"})


def test_gradio_server_variables_are_honoured_after_the_plans_ones():
    env = {"GRADIO_SERVER_NAME": "localhost", "GRADIO_SERVER_PORT": "8124"}
    assert (serve_config([], env=env).host, serve_config([], env=env).port) == ("localhost", 8124)
    env["PLANS_PORT"] = "8125"
    assert serve_config([], env=env).port == 8125


def test_a_busy_port_is_refused_before_loading_naming_the_setting():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port}.*PLANS_PORT"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", port)  # free again


def test_python_app_py_with_a_busy_port_fails_in_one_line_at_once():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANS_")}
        env["GRADIO_SERVER_PORT"] = str(port)
        done = subprocess.run(
            [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "PLANS_PORT" in lines[0] and str(port) in lines[0], done.stderr
    assert "Loading the model" not in done.stdout


def test_binding_all_interfaces_without_auth_is_refused():
    with pytest.raises(ConfigError, match="PLANS_AUTH_USER and PLANS_AUTH_PASSWORD"):
        serve_config(["--host", "0.0.0.0"], env={})
    with pytest.raises(ConfigError, match="without a password"):
        serve_config([], env={"PLANS_HOST": "0.0.0.0"})
    with pytest.raises(ConfigError, match="both"):
        serve_config(["--host", "0.0.0.0"], env={"PLANS_AUTH_USER": "staff"})


def test_binding_all_interfaces_with_auth_or_explicit_override():
    env = {"PLANS_AUTH_USER": "staff", "PLANS_AUTH_PASSWORD": "s3cret"}
    assert serve_config(["--host", "0.0.0.0"], env=env).auth == ("staff", "s3cret")
    assert serve_config(["--host", "0.0.0.0", "--no-auth"], env={}).open_without_auth
    assert serve_config(["--host", "0.0.0.0"], env={"PLANS_ALLOW_NO_AUTH": "1"}).auth is None


def test_python_app_py_refuses_all_interfaces_without_auth_in_one_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANS_")}
    env["PLANS_HOST"] = "0.0.0.0"
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: refusing to serve on 0.0.0.0")
    assert "PLANS_AUTH_USER" in lines[0] and "--no-auth" in lines[0]


def test_the_app_assistant_gets_the_llm_phraser_only_when_plans_llm_is_set(built_index, monkeypatch):
    settings = built_index.settings
    monkeypatch.setenv("PLANS_CACHE_DIR", str(settings.cache_dir))
    monkeypatch.setenv("PLANS_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("PLANS_EMBED_MODEL", settings.model)
    monkeypatch.delenv("PLANS_CHROMA_HOST", raising=False)
    monkeypatch.delenv("PLANS_LLM_BASE_URL", raising=False)
    assert prepare_assistant(progress=False).phraser is None

    with socket.create_server(("127.0.0.1", 0)) as endpoint:  # reachable: it accepts connections
        monkeypatch.setenv("PLANS_LLM_BASE_URL", f"http://127.0.0.1:{endpoint.getsockname()[1]}/v1")
        monkeypatch.setenv("PLANS_LLM_MODEL", "small-model")
        monkeypatch.setenv("PLANS_LLM_EVIDENCE_TOKENS", "321")
        phraser = prepare_assistant(progress=False).phraser
    assert isinstance(phraser, LLMPhraser) and phraser.evidence_tokens == 321
    assert phraser.chat_model.model_name == "small-model"


def test_the_app_brings_stale_plan_models_up_to_date_so_start_up_parses_no_plan(
    built_index, tmp_path, monkeypatch
):
    """Plan models of an older vocabulary (or none): updated once when the app starts, instead
    of every plan parsed at every start."""
    import shutil

    from index.planmodel import FOLDER, models_current

    settings = built_index.settings
    index_dir = tmp_path / "index"
    shutil.copytree(settings.index_dir, index_dir, ignore=shutil.ignore_patterns(FOLDER, "*.lock"))
    monkeypatch.setenv("PLANS_CACHE_DIR", str(settings.cache_dir))
    monkeypatch.setenv("PLANS_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("PLANS_EMBED_MODEL", settings.model)
    monkeypatch.delenv("PLANS_CHROMA_HOST", raising=False)
    monkeypatch.delenv("PLANS_LLM_BASE_URL", raising=False)
    plans = built_index.plans()
    assert not models_current(plans, index_dir)
    a = prepare_assistant(progress=False)
    assert models_current(plans, index_dir)
    assert a.models.reads == 0 and a.models.parsed == []  # start-up read no model and parsed none
    answer = a.ask(f"Ai chủ trì công tác tuyên truyền ở {plans[0].province}?")
    assert not answer.abstained and a.models.parsed == []  # the question read its plan's stored model
