from corpus import load_plans, plan_by_id
from index.structure import find_sections, parse_plan


def _children(node, kind):
    return [c for c in node.children if c.kind == kind]


def test_ca_mau_noi_dung_has_six_items_first_is_tuyen_truyen():
    root = parse_plan(plan_by_id("ca-mau").text)
    (noi_dung,) = find_sections(root, "II. NỘI DUNG")
    items = _children(noi_dung, "item")
    assert len(items) == 6
    assert items[0].label == "1. Công tác tuyên truyền"
    assert items[2].path == ["II. NỘI DUNG", "3. Hội nhập về giáo dục nghề nghiệp"]


def test_heading_and_text_on_one_line_are_split():
    plan = plan_by_id("hai-duong")
    root = parse_plan(plan.text)
    leads = find_sections(root, "b. Cơ quan chủ trì thực hiện")
    assert leads, "Hải Dương states its leads inline"
    assert leads[0].text(plan.text).startswith("b. Cơ quan chủ trì thực hiện: Sở Lao động Thương binh")
    assert leads[0].path[-1] == "b. Cơ quan chủ trì thực hiện"


def test_quang_ngai_decision_is_its_own_part_with_signer():
    plan = plan_by_id("quang-ngai")
    root = parse_plan(plan.text)
    parts = [c.label for c in root.children]
    assert parts[:3] == ["QUYẾT ĐỊNH", "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU"]
    decision = root.children[0]
    articles = [c.label.split(".")[0] for c in decision.children if c.kind == "article"]
    assert articles == ["Điều 1", "Điều 2", "Điều 3", "Điều 4"]
    (signer,) = find_sections(decision, "Người ký")
    assert "Đặng Ngọc Dũng" in signer.text(plan.text)
    assert "KT. CHỦ TỊCH" in signer.text(plan.text)


def test_kien_giang_lists_duties_per_agency():
    root = parse_plan(plan_by_id("kien-giang").text)
    (org,) = find_sections(root, "V. TỔ CHỨC THỰC HIỆN")
    agencies = [c.label for c in _children(org, "item")]
    assert agencies[0] == "1. Sở Lao động - Thương binh và Xã hội"
    assert "7. Sở Ngoại vụ" in agencies and len(agencies) == 9


def test_star_bullets_hold_their_dash_bullets():
    root = parse_plan(plan_by_id("kien-giang").text)
    stars = [n for n in root.walk() if n.kind == "star"]
    assert len(stars) == 5
    assert all(any(c.kind == "dash" for c in s.children) for s in stars)


def test_every_node_span_is_inside_its_parent_and_starts_at_its_line():
    for plan in load_plans():
        root = parse_plan(plan.text)
        for node in list(root.walk())[1:]:
            if node.parent.kind != "document":
                assert node.parent.start <= node.start <= node.end <= node.parent.end
            assert node.start == node.line_start
            assert node.text(plan.text) == node.text(plan.text).strip()


def test_closing_paragraph_with_deadline_is_not_inside_the_last_item():
    plan = plan_by_id("ca-mau")
    root = parse_plan(plan.text)
    closing = find_sections(root, "Kết luận")[0]
    assert "trước ngày 31/12 hằng năm" in closing.text(plan.text)
    assert closing.parent is root
