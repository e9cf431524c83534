# The two commands: `make run` (set up, build, serve the app) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-llm setup build lint format eval eval-check bench bench-scale loadtest browser clean-index

run: setup
	$(PY) app.py

test: setup browser
	$(PY) -m pytest -q

setup: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Debian's Chromium for the end-to-end browser test (no browser download), and a font with
# Vietnamese glyphs for the PDF-import test's fixtures.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium missing: the browser test will be skipped (apt-get install chromium as root)"; fi; }
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "fonts-dejavu-core missing: the PDF import test will be skipped"; fi; }

build: setup
	$(PY) -m index build

eval: setup
	$(PY) -m eval run --questions eval/questions/gold.jsonl eval/questions/generated.jsonl eval/questions/independent.jsonl eval/questions/holdout.jsonl eval/questions/dev.jsonl eval/questions/dev2.jsonl eval/questions/dev3.jsonl eval/questions/dev4.jsonl eval/questions/blind.jsonl eval/questions/blind2.jsonl eval/questions/blind3.jsonl eval/questions/blind4.jsonl eval/questions/blind5.jsonl eval/questions/blind6.jsonl --out eval/out

# Regression guard: floors just under the measured values (see CHANGELOG); timing is reported, never gated.
eval-check: setup
	$(PY) -m index build --quiet
	$(PY) -m eval run --questions eval/questions/gold.jsonl --out eval/out --quiet \
	  --min-accuracy 0.97 --min-citation-hit 0.97 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/generated.jsonl --out eval/out --quiet \
	  --min-accuracy 0.97 --min-citation-hit 0.97 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/independent.jsonl --out eval/out --quiet \
	  --min-accuracy 0.98 --min-citation-hit 0.98 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/holdout.jsonl --out eval/out --quiet \
	  --min-accuracy 0.96 --min-citation-hit 0.96 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/dev.jsonl --out eval/out --quiet \
	  --min-accuracy 0.97 --min-citation-hit 0.97 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/dev2.jsonl --out eval/out --quiet \
	  --min-accuracy 0.96 --min-citation-hit 0.96 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/dev3.jsonl --out eval/out --quiet \
	  --min-accuracy 0.90 --min-citation-hit 0.91 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/dev3.jsonl --out eval/out --quiet --strip-diacritics \
	  --min-accuracy 0.90 --min-citation-hit 0.91 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/dev4.jsonl --out eval/out --quiet \
	  --min-accuracy 0.97 --min-citation-hit 0.90 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind.jsonl --out eval/out --quiet \
	  --min-accuracy 0.90 --min-citation-hit 0.93 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind2.jsonl --out eval/out --quiet \
	  --min-accuracy 0.86 --min-citation-hit 0.88 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind3.jsonl --out eval/out --quiet \
	  --min-accuracy 0.85 --min-citation-hit 0.86 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind4.jsonl --out eval/out --quiet \
	  --min-accuracy 0.88 --min-citation-hit 0.84 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind5.jsonl --out eval/out --quiet \
	  --min-accuracy 0.87 --min-citation-hit 0.89 --min-verbatim 1.0
	$(PY) -m eval run --questions eval/questions/blind6.jsonl --out eval/out --quiet \
	  --min-accuracy 0.89 --min-citation-hit 0.92 --min-verbatim 1.0

bench: setup
	$(PY) -m assistant.bench

# N sessions × M questions with follow-ups through the app's API on loopback (stops by itself).
SESSIONS ?= 20
QUESTIONS ?= 10
loadtest: build
	$(PY) -m ui.loadtest --sessions $(SESSIONS) --questions $(QUESTIONS)

# Synthetic corpora of 4, 100 and 1,000 plans (timing only; ~10-20 min on 2 cores, not in CI;
# `$(PY) -m assistant.bench_scale --sizes 100` is the smoke size).
bench-scale: setup
	$(PY) -m assistant.bench_scale --sizes 4 100 1000

# The LLM path against a real server (slow, off by default, never in CI): llama-cpp-python's
# OpenAI-compatible server with Gemma 3 270M in its own venv, started on loopback by the test.
# The first run compiles llama.cpp (nice 19, LLM_JOBS compile jobs; pip keeps the wheel after).
LLM_VENV := .venv-llm
LLM_JOBS ?= 1
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF
$(LLM_VENV)/.installed: requirements-llm.txt
	test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$(LLM_JOBS) \
	  nice -n 19 $(LLM_VENV)/bin/python -m pip install --quiet -r requirements-llm.txt
	touch $@

test-llm: setup $(LLM_VENV)/.installed
	PLANS_LLM_SERVER_PYTHON=$(LLM_VENV)/bin/python $(PY) -m pytest -q -s -m slow tests/assistant/test_llm_server.py

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean-index:
	rm -rf .cache/index
