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
