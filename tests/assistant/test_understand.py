import pytest

from assistant.understand import detect_lang, understand


@pytest.mark.parametrize(
    ("question", "provinces"),
    [
        ("Ai chủ trì đào tạo nghề ở Cà Mau?", ["ca-mau"]),
        ("dao tao nghe CA MAU", ["ca-mau"]),
        ("compare Hai Duong and Kien Giang", ["hai-duong", "kien-giang"]),
        ("sở tài chính quảng ngãi", ["quang-ngai"]),
    ],
)
def test_provinces_with_or_without_diacritics_and_in_english(question, provinces):
    assert sorted(understand(question).provinces) == sorted(provinces)


def test_province_outside_the_corpus_is_recognised():
    q = understand("Who leads vocational training in Ho Chi Minh City?")
    assert q.provinces == [] and q.unknown_provinces == ["Hồ Chí Minh"]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("ai chu tri dao tao nghe o ca mau", "lead"),
        ("Who is in charge of communication in Hai Duong?", "lead"),
        ("Cơ quan nào phối hợp tuyên truyền ở Hải Dương?", "coordinate"),
        ("Sở Tài chính Quảng Ngãi phải làm gì?", "agency_duty"),
        ("What does the Department of Finance of Quang Ngai have to do?", "agency_duty"),
        ("Kinh phí thực hiện kế hoạch Cà Mau lấy từ đâu?", "funding"),
        ("Hải Dương yêu cầu gửi báo cáo trước ngày nào?", "timing"),
        ("Quảng Ngãi phấn đấu tỷ lệ lao động qua đào tạo nghề bao nhiêu?", "target"),
        ("Kế hoạch căn cứ vào văn bản nào?", "legal_basis"),
        ("Ai ký quyết định?", "issuer"),
    ],
)
def test_intent(question, intent):
    assert understand(question).intent == intent


def test_agency_names_do_not_read_as_intents():
    # "Tài chính" is finance, but "Sở Tài chính" is an agency: the question is about its duties
    q = understand("Sở Tài chính Cà Mau phải làm gì?")
    assert q.agencies == ["so-tai-chinh"] and q.intent == "agency_duty"


def test_words_do_not_match_inside_other_words():
    # "ai lam" (who does) must not match inside "phai lam" (must do)
    assert understand("Sở Nội vụ Hải Dương phải làm gì?").intent == "agency_duty"
    # "dong" (VND) must not match inside "lao dong"
    assert "amount" not in understand("tỷ lệ lao động qua đào tạo").aspects


def test_comparison_and_aspects():
    q = understand("compare the reporting deadlines of Hải Dương and Cà Mau")
    assert q.compare and q.intent == "timing" and "report_deadline" in q.aspects
    assert "signer" in understand("Who signed the Quang Ngai decision?").aspects
    assert "amount" in understand("Tổng kinh phí là bao nhiêu tỷ đồng?").aspects


def test_topics_from_the_glossary_in_both_languages():
    assert "vocational" in understand("who leads vocational training?").topics
    assert "vocational" in understand("ai chủ trì dạy nghề?").topics
    assert "social_security" in understand("social protection in Ca Mau").topics


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("who leads vocational training in Cà Mau?", "en"),
        ("What must Sở Tài chính do in Quảng Ngãi?", "en"),
        ("Who leads the activity “Hội nhập về giáo dục nghề nghiệp” in Cà Mau?", "en"),
        ("Ai chủ trì đào tạo nghề ở Cà Mau?", "vi"),
        ("ai chu tri dao tao nghe o ca mau", "vi"),
        ("Còn Hải Dương thì sao?", "vi"),
    ],
)
def test_language_ignores_names_and_quoted_titles(text, lang):
    assert detect_lang(text) == lang


def test_followup_markers():
    assert understand("Còn Hải Dương thì sao?").followup
    assert understand("and who coordinates?").followup
    assert understand("sở đó còn phải làm gì nữa?").refers_back


def test_goal_with_its_year_is_a_target_question():
    q = understand("Quảng Ngãi phải đạt trình độ nhóm nước ASEAN nào, vào năm nào?")
    assert q.intent == "target"
    assert understand("Bao giờ Quảng Ngãi sơ kết kế hoạch?").intent == "timing"


def test_only_units_a_word_of_the_question_can_start_are_tried_and_the_result_is_the_same(monkeypatch):
    """At 1,000 plans a question tries the units whose spellings start with one of its words,
    not all of them; every unit named in every spelling is found as when all are tried."""
    import itertools
    import json
    from pathlib import Path

    import assistant.understand as u
    from corpus import load_plans

    plans = load_plans()
    holdings = tuple(
        [*u.plan_holdings(plans), *((f"Thử Nghiệm {i:04d}", f"synth-{i:04d}") for i in range(300))]
    )
    units = u._provinces(holdings)
    questions = [f"Ai chủ trì đào tạo nghề ở {p.name}?" for p in units]
    questions += [f"Who leads vocational training in {p.en}?" for p in units]
    questions += [f"so sanh {u.fold(a.name)} va {u.fold(b.name)}" for a, b in itertools.pairwise(units)]
    gold = Path(__file__).resolve().parents[2] / "eval" / "questions" / "gold.jsonl"
    questions += [
        json.loads(line)["question"] for line in gold.read_text(encoding="utf-8").splitlines() if line
    ]
    fields = ("provinces", "unknown_provinces", "successors", "rest", "intent", "compare")

    def parse(q):
        got = understand(q, holdings)
        return [getattr(got, f) for f in fields]

    fast = [parse(q) for q in questions]
    tried: list[int] = []
    assert max(len(u._named_units(u.fold(q), holdings)) for q in questions) < len(units) / 4

    def every_unit(folded, h):
        tried.append(1)
        return list(u._provinces(h))

    monkeypatch.setattr(u, "_named_units", every_unit)
    slow = [parse(q) for q in questions]
    assert len(tried) == len(questions) and fast == slow
    assert sum(bool(row[0]) for row in fast) > len(units)  # the questions do name held plans


@pytest.mark.parametrize(
    ("text", "agencies"),
    [
        ("so tai chinh va so ke hoach dau tu hai duong moi so lam gi", ["so-tai-chinh", "so-khdt"]),
        ("Sở Tài chính và Sở Kế hoạch và Đầu tư Hải Dương mỗi sở làm gì?", ["so-tai-chinh", "so-khdt"]),
        ("so giao duc dao tao ca mau lam gi", ["so-gddt"]),
    ],
)
def test_an_agency_named_without_its_inner_and_is_found(text, agencies):
    assert understand(text).agencies == agencies
