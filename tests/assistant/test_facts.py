from assistant.facts import all_facts, responsibility_rows, split_units
from corpus import load_plans

FACTS = all_facts()
TEXTS = {p.id: p.text for p in load_plans()}


def _spans(pf):
    for a in pf.activities:
        for span in (
            a.span,
            a.lead_span,
            a.coordinator_span,
            a.implementer_span,
            a.timing_span,
            a.funding_span,
        ):
            if span:
                yield span
    for d in pf.duties:
        yield d.span
        yield from d.duties
    for s in pf.statements:
        yield s.span


def test_every_fact_keeps_its_verbatim_span():
    for pid, pf in FACTS.items():
        for span in _spans(pf):
            assert TEXTS[pid][span.start : span.end] == span.text


def test_activity_leads_in_each_layout():
    ca_mau = {a.title: a for a in FACTS["ca-mau"].activities}
    assert ca_mau["Hội nhập về giáo dục nghề nghiệp"].leads == ("Sở Lao động - Thương binh và Xã hội",)
    assert "các Trung tâm giáo dục nghề nghiệp" in ca_mau["Hội nhập về giáo dục nghề nghiệp"].coordinators
    assert "Báo Cà Mau" in ca_mau["Công tác tuyên truyền"].implementers
    hai_duong = {a.title: a for a in FACTS["hai-duong"].activities}
    assert hai_duong["Công tác tuyên truyền, giáo dục"].leads == (
        "Sở Lao động Thương binh và Xã hội",
        "Sở Thông tin truyền thông",
        "Sở Kế hoạch và Đầu tư",
    )
    quang_ngai = {a.title: a for a in FACTS["quang-ngai"].activities}
    assert "Sở Văn hóa, Thể thao và Du lịch" in quang_ngai["Công tác tuyên truyền, giáo dục"].leads
    assert quang_ngai["Hội nhập ASEAN về lao động và xã hội"].timing == "Thường xuyên hàng năm"


def test_a_plan_without_activity_leads_has_none_borrowed():
    assert FACTS["kien-giang"].activities == []
    headings = [d.heading for d in FACTS["kien-giang"].duties]
    assert headings[0] == "Sở Lao động - Thương binh và Xã hội" and "Sở Công Thương" in headings


def test_deadlines_signer_and_basis():
    values = {pid: [s.value for s in pf.of_kind("deadline")] for pid, pf in FACTS.items()}
    assert any(v.startswith("trước ngày 15/12") for v in values["hai-duong"])
    assert any(v.startswith("trước ngày 31/12") for v in values["ca-mau"])
    assert values["kien-giang"] == []
    assert [s.value for s in FACTS["quang-ngai"].of_kind("signer")] == ["Đặng Ngọc Dũng"]
    assert all(pf.of_kind("signer") == [] for pid, pf in FACTS.items() if pid != "quang-ngai")
    for pf in FACTS.values():
        assert any("145/QĐ-TTg" in s.value for s in pf.of_kind("basis"))


def test_unit_lists_split_between_units_not_inside_names():
    assert split_units("Sở Văn hóa, Thể thao và Du lịch; Sở Kế hoạch và Đầu tư.") == (
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Kế hoạch và Đầu tư",
    )
    assert split_units("Các sở, ban, ngành có liên quan và UBND các huyện, thành phố Cà Mau") == (
        "Các sở, ban, ngành có liên quan",
        "UBND các huyện, thành phố Cà Mau",
    )


def test_responsibility_rows_cover_activities_and_agencies():
    rows = responsibility_rows(FACTS)
    assert {r["kind"] for r in rows} == {"activity", "agency"}
    assert {r["plan"] for r in rows} == set(FACTS)
    finance = [r for r in rows if r["kind"] == "agency" and "Sở Tài chính" in r["lead"]]
    # every plan with an entry for the finance department has a row for it
    entries = {pid for pid, pf in FACTS.items() if any("Sở Tài chính" in d.heading for d in pf.duties)}
    assert entries and {r["plan"] for r in finance} == entries
