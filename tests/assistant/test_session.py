from assistant.session import Session
from assistant.understand import understand


def _turns(*questions):
    s = Session()
    q = None
    for text in questions:
        q = s.resolve(understand(text))
        s.record(q, "")
    return q


def test_province_switch_keeps_intent_and_topic():
    q = _turns("Ai chủ trì đào tạo nghề ở Cà Mau?", "Còn Hải Dương thì sao?")
    assert q.provinces == ["hai-duong"] and q.intent == "lead" and "vocational" in q.topics


def test_new_intent_keeps_topic_and_province():
    q = _turns("who leads social security in Quang Ngai?", "and who coordinates?")
    assert q.intent == "coordinate" and q.provinces == ["quang-ngai"] and "social_security" in q.topics


def test_reference_to_the_agency_keeps_it():
    q = _turns("Sở Ngoại vụ Quảng Ngãi phải làm gì?", "sở đó phối hợp với ai?")
    assert q.agencies == ["so-ngoai-vu"] and q.intent == "coordinate"


def test_year_change_keeps_the_rest():
    q = _turns("Quảng Ngãi phấn đấu tỷ lệ lao động qua đào tạo nghề bao nhiêu?", "what about by 2030?")
    assert q.intent == "target" and q.provinces == ["quang-ngai"] and q.years == ["2030"]


def test_explicit_question_starts_fresh():
    q = _turns("Sở Tài chính Cà Mau phải làm gì?", "Ai chủ trì đào tạo nghề ở Hải Dương?")
    assert q.agencies == [] and q.provinces == ["hai-duong"] and q.intent == "lead"


def test_noise_does_not_inherit_the_last_subject():
    q = _turns("Ai ký quyết định của Quảng Ngãi?", "alert(1)")
    assert q.intent is None and q.provinces == []


def test_reset_forgets():
    s = Session()
    s.record(understand("Ai chủ trì đào tạo nghề ở Cà Mau?"), "x")
    s.reset()
    assert s.state is None and s.history == []
