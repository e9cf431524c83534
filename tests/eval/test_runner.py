"""The runner with the real assistant (the index in .cache is only read) on a handful of gold items."""

import json
from pathlib import Path

import pytest

from assistant.types import Answer, Citation, RetrievedPassage
from corpus import load_plans
from eval.__main__ import main
from eval.runner import (
    CITATION_KEYS,
    EXTRA_KEYS,
    RETRIEVED_KEYS,
    STABLE_KEYS,
    AnswerRow,
    answer_item,
    answer_items,
    load_questions,
    read_answers,
    turns_of,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "questions" / "gold.jsonl"
#: a Vietnamese lead question, an English one, an abstention and a two-turn follow-up
SAMPLE_IDS = ("lead-camau-vi-01", "lead-haiduong-en-01", "abstain-none-en-01", "followup-haiduong-vi-01")


@pytest.fixture(scope="module")
def sample_items() -> list[dict]:
    by_id = {item["id"]: item for item in load_questions(GOLD)}
    return [by_id[i] for i in SAMPLE_IDS]


@pytest.fixture(scope="module")
def real_assistant(assistant):
    """The real assistant over the session's temp index (tests/conftest.py)."""
    return assistant


@pytest.fixture(scope="module")
def answer_run(tmp_path_factory, sample_items, real_assistant):
    """`python -m eval answer` on the sample, with only id and question/turns in the question file."""
    folder = tmp_path_factory.mktemp("answer")
    questions = folder / "q.jsonl"
    keep = ("id", "question", "turns")
    questions.write_text(
        "".join(
            json.dumps({k: v for k, v in i.items() if k in keep}, ensure_ascii=False) + "\n"
            for i in sample_items
        ),
        encoding="utf-8",
    )
    out = folder / "answers.jsonl"
    code = main(
        ["answer", "--questions", str(questions), "--out", str(out), "--quiet"], assistant=real_assistant
    )
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return code, lines, out


def test_answer_file_has_the_stable_keys_and_types(answer_run):
    code, lines, _ = answer_run
    assert code == 0
    assert [line["id"] for line in lines] == list(SAMPLE_IDS)
    for line in lines:
        assert set(STABLE_KEYS) <= set(line) <= set(STABLE_KEYS) | set(EXTRA_KEYS)
        assert isinstance(line["id"], str)
        assert isinstance(line["answer"], str) and line["answer"].strip()
        assert isinstance(line["abstained"], bool)
        assert isinstance(line["latency_ms"], int | float) and line["latency_ms"] > 0
        assert isinstance(line["citations"], list)
        for c in line["citations"]:
            assert tuple(c) == CITATION_KEYS
            for key in ("text", "province", "plan", "section"):
                assert isinstance(c[key], str)
            assert type(c["start"]) is int and type(c["end"]) is int
        for r in line["retrieved"]:
            assert tuple(r) == RETRIEVED_KEYS
        assert line["error"] == ""


def test_citations_are_verbatim(answer_run):
    _, lines, _ = answer_run
    plans = {p.id: p.text for p in load_plans()}
    cited = [c for line in lines for c in line["citations"]]
    assert cited, "the answerable sample items cite passages"
    for c in cited:
        assert plans[c["plan"]][c["start"] : c["end"]] == c["text"]


def test_answers_are_plausible(answer_run):
    _, lines, _ = answer_run
    by_id = {line["id"]: line for line in lines}
    assert by_id["abstain-none-en-01"]["abstained"] is True
    assert by_id["lead-camau-vi-01"]["abstained"] is False
    assert by_id["lead-camau-vi-01"]["retrieved"], "retrieved passages are kept for the retrieval metrics"


def test_answer_file_round_trips(answer_run):
    _, lines, out = answer_run
    rows = read_answers(out)
    assert [r.to_json() for r in rows] == lines


def test_score_writes_the_report(answer_run, sample_items, tmp_path):
    _, _, answers = answer_run
    questions = tmp_path / "sample.jsonl"
    questions.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in sample_items), encoding="utf-8"
    )
    out = tmp_path / "report"
    code = main(["score", "--questions", str(questions), "--answers", str(answers), "--out", str(out)])
    assert code == 0
    assert {"report.md", "results.json", "accuracy_by_type.png"} <= {p.name for p in out.iterdir()}
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["metrics"]["n"] == len(SAMPLE_IDS)
    assert results["metrics"]["verbatim_rate"] == 1.0
    # a floor that holds keeps the exit code 0
    args = ["score", "--questions", str(questions), "--answers", str(answers), "--out", str(out)]
    assert main([*args, "--min-verbatim", "1.0"]) == 0


# ------------------------------------------------------------------------- without the real assistant
class FakeAssistant:
    """Records (question, session) calls; raises on a question containing 'boom'."""

    def __init__(self):
        self.calls = []

    def ask(self, question, session=None):
        self.calls.append((question, session))
        if "boom" in question:
            raise RuntimeError("boom")
        citation = Citation(1, "p:1", "p", "P", "II", "text", 0, 4)
        passage = RetrievedPassage("p:1", "p", "P", "II", "text", 0, 4, 0.9)
        return Answer(question, f"answer to {question}", "vi", False, "lead", ["p"], [citation], [passage])


def test_turns_are_asked_in_one_session_and_the_last_is_scored():
    fake = FakeAssistant()
    row = answer_item(fake, {"id": "f", "question": "t2", "turns": ["t1", "t2"], "must_include": ["ignored"]})
    assert [q for q, _ in fake.calls] == ["t1", "t2"]
    sessions = {id(s) for _, s in fake.calls}
    assert len(sessions) == 1 and fake.calls[0][1] is not None
    assert row.answer == "answer to t2" and row.citations[0].text == "text"
    assert row.retrieved[0].score == pytest.approx(0.9)
    assert turns_of({"question": "q"}) == ["q"]


def test_a_crash_is_recorded_and_the_run_goes_on():
    fake = FakeAssistant()
    rows = answer_items(
        [{"id": "a", "question": "boom"}, {"id": "b", "question": "fine"}], fake, progress=False
    )
    assert rows[0].error == "RuntimeError: boom" and rows[0].answer == "" and not rows[0].abstained
    assert rows[1].error == "" and rows[1].answer == "answer to fine"
    assert isinstance(rows[0], AnswerRow)


def test_run_with_floors_exits_1(tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    item = {
        "id": "x",
        "question": "q?",
        "type": "lead",
        "province": "p",
        "lang": "vi",
        "must_include": ["Sở Tài chính"],
        "evidence": [],
    }
    questions.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "run",
            "--questions",
            str(questions),
            "--out",
            str(out),
            "--quiet",
            "--min-accuracy",
            "0.5",
            "--min-verbatim",
            "0.9",
        ],
        assistant=FakeAssistant(),
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert "q: accuracy 0.0% is below the floor 50.0%" in printed
    assert "q: verbatim rate 0.0% is below the floor 90.0%" in printed  # plan "p" is not in the corpus
    assert (out / "report.md").is_file() and (out / "answers.jsonl").is_file()


def test_strip_diacritics_types_the_question_as_without_marks():
    from eval.runner import strip_diacritics, without_diacritics

    assert strip_diacritics("Sở Tài chính Đà Nẵng phải làm gì?") == "So Tai chinh Da Nang phai lam gi?"
    item = {
        "id": "x",
        "question": "Còn Cà Mau?",
        "turns": ["Ai chủ trì?", "Còn Cà Mau?"],
        "must_include": ["Sở"],
    }
    plain = without_diacritics(item)
    assert plain["turns"] == ["Ai chu tri?", "Con Ca Mau?"] and plain["question"] == "Con Ca Mau?"
    assert plain["must_include"] == ["Sở"] and item["question"] == "Còn Cà Mau?"


def test_run_without_diacritics_asks_the_plain_question_and_names_the_report(tmp_path):
    questions = tmp_path / "q.jsonl"
    item = {
        "id": "x",
        "question": "Sở Tài chính làm gì?",
        "type": "lead",
        "must_include": [],
        "evidence": ["x"],
    }
    questions.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    fake = FakeAssistant()
    code = main(
        [
            "run",
            "--questions",
            str(questions),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--strip-diacritics",
        ],
        assistant=fake,
    )
    assert code == 0 and [q for q, _ in fake.calls] == ["So Tai chinh lam gi?"]
    assert (tmp_path / "out" / "q-plain" / "report.md").exists()
