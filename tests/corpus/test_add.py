"""`python -m corpus add|check`: plans from .txt, .docx and text .pdf files join the corpus;
bad files are refused with one line naming the file and the reason, and nothing is added or lost."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.facts import extract_facts
from corpus import load_plans, plan_problems
from corpus.__main__ import main
from corpus.metadata import unit_names
from corpus.normal import canonical_text

_spec = importlib.util.spec_from_file_location("plan_variants", Path(__file__).with_name("variants.py"))
v = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(v)

PLANS = load_plans()
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_font = pytest.mark.skipif(
    not FONT.is_file(), reason="no DejaVu font: `make browser` installs fonts-dejavu-core"
)


@pytest.fixture()
def corpus(tmp_path):
    """A copy of the real corpus folder to add to."""
    folder = tmp_path / "plans"
    shutil.copytree(PLANS[0].path.parent, folder)
    return folder


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _new_unit() -> str:
    held = {p.province for p in PLANS}
    return next(n for n in unit_names() if n not in held and all(n not in p.text for p in PLANS))


def _variant_text(plan) -> tuple[str, str]:
    new = _new_unit()
    return new, v.new_province(plan.text, plan.province, new)


def _run(capsys, *args) -> tuple[int, str, str]:
    rc = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return rc, out, err


def _write_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(str(path))
    return path


def _write_pdf(text: str | None, path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text is None:  # a "scanned" page: a drawing, no text layer
        pdf.rect(20, 20, 100, 150, style="F")
    else:
        pdf.add_font("DejaVu", "", str(FONT))
        pdf.set_font("DejaVu", size=10)
        for line in text.splitlines():
            pdf.multi_cell(0, 5, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _check_added(capsys, corpus, source: Path, plan, new: str):
    before = _listing(corpus)
    rc, out, err = _run(capsys, "--dir", corpus, "add", source)
    assert rc == 0 and err == "" and out.startswith("added ") and "activities with a lead" in out
    added = [p for p in load_plans(corpus) if p.province == new]
    assert len(added) == 1 and not plan_problems(corpus)
    got = added[0]
    assert set(_listing(corpus)) - set(before) == {
        f"{got.id}.txt",
        f"{got.id}.json",
        f"{got.id}.source{source.suffix}",
    }
    assert all(_listing(corpus)[k] == b for k, b in before.items())  # nothing else touched
    meta = json.loads((corpus / f"{got.id}.json").read_text("utf-8"))
    assert meta["province"] == new and meta["issuer"].endswith(new)
    original = v.signature(extract_facts(plan))
    assert v.signature(extract_facts(got), plan.province, new) == original
    return got


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_add_txt_of_a_new_province(plan, corpus, tmp_path, capsys):
    new, text = _variant_text(plan)
    src = tmp_path / "incoming.txt"
    src.write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # Windows line ends, converted
    got = _check_added(capsys, corpus, src, plan, new)
    assert got.text == canonical_text(text)  # NFC, '\n' line ends, no trailing spaces


@pytest.mark.parametrize("plan", PLANS[:2], ids=lambda p: p.id)
def test_add_docx(plan, corpus, tmp_path, capsys):
    new, text = _variant_text(plan)
    _check_added(capsys, corpus, _write_docx(text, tmp_path / "incoming.docx"), plan, new)


@needs_font
@pytest.mark.parametrize("plan", PLANS[:2], ids=lambda p: p.id)
def test_add_text_pdf(plan, corpus, tmp_path, capsys):
    new, text = _variant_text(plan)
    got = _check_added(capsys, corpus, _write_pdf(text, tmp_path / "incoming.pdf"), plan, new)
    assert "\n" in got.text and got.text != text  # the PDF's own line breaks, joined by the parser


def _refused(capsys, corpus, source: Path, *extra, reason: str):
    before = _listing(corpus)
    rc, out, err = _run(capsys, "--dir", corpus, "add", source, *extra)
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and reason in err, err
    assert source.name in err or "province" in reason
    assert _listing(corpus) == before  # nothing added, nothing lost


def test_binary_file_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_bytes(os.urandom(4096) + b"\x00")
    _refused(capsys, corpus, src, reason="binary file")


def test_undecodable_file_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_bytes(PLANS[0].text.encode("utf-16-le")[1:] + b"\xff\xfe\xfa")
    _refused(capsys, corpus, src, reason="binary")


def test_nul_filled_file_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_bytes(b"\x00" * 8192)
    _refused(capsys, corpus, src, reason="binary file (NUL bytes)")


def test_empty_file_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_bytes(b"  \n\n")
    _refused(capsys, corpus, src, reason="empty file")


def test_near_empty_text_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_text("\n".join(PLANS[0].text.splitlines()[:2]) + "\n", encoding="utf-8")
    _refused(capsys, corpus, src, reason="near-empty")


def test_random_text_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_text(("lorem ipsum dolor sit amet consectetur adipiscing elit " * 200) + "\n", encoding="utf-8")
    _refused(capsys, corpus, src, reason="not Vietnamese prose")


def test_scanned_pdf_is_refused(corpus, tmp_path, capsys):
    _refused(
        capsys,
        corpus,
        _write_pdf(None, tmp_path / "scan.pdf"),
        reason="scanned PDF (no text layer): run OCR first",
    )


def test_unsupported_type_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "plan.odt"
    src.write_bytes(b"PK\x03\x04")
    _refused(capsys, corpus, src, reason="unsupported file type .odt")


def test_duplicate_text_is_refused(corpus, tmp_path, capsys):
    src = tmp_path / "copy.txt"
    src.write_text(PLANS[0].text, encoding="utf-8")
    _refused(capsys, corpus, src, reason=f"duplicate text: same as plan {PLANS[0].id!r}")


def test_duplicate_id_is_refused(corpus, tmp_path, capsys):
    _new, text = _variant_text(PLANS[0])
    src = tmp_path / "new.txt"
    src.write_text(text, encoding="utf-8")
    _refused(capsys, corpus, src, "--id", PLANS[1].id, reason=f"duplicate plan id {PLANS[1].id!r}")


def test_a_plan_whose_province_cannot_be_told_asks_for_it(corpus, tmp_path, capsys):
    plan = PLANS[0]
    text = plan.text
    for name in unit_names():
        text = text.replace(name, "Xứ Mới").replace(name.upper(), "XỨ MỚI")
    src = tmp_path / "nowhere.txt"
    src.write_text(text, encoding="utf-8")
    _refused(capsys, corpus, src, reason="cannot tell which province the plan is of: pass --province NAME")
    _refused(capsys, corpus, src, "--province", "Atlantis", reason="unknown province 'Atlantis'")
    new = _new_unit()
    rc, out, _err = _run(capsys, "--dir", corpus, "add", src, "--province", new)
    assert rc == 0 and f"({new})" in out


# -- plans already in the folder: `corpus check` and the loader name and skip the bad one -------


def _check(capsys, corpus) -> tuple[int, str, str]:
    return _run(capsys, "--dir", corpus, "check")


def test_check_passes_the_real_corpus(corpus, capsys):
    rc, out, err = _check(capsys, corpus)
    assert rc == 0 and err == "" and out.count("\nok ") + out.startswith("ok ") == len(PLANS)


def _bad_in_folder(capsys, corpus, name: str, reason: str):
    rc, _out, err = _check(capsys, corpus)
    assert rc == 1 and err.count("\n") == 1 and err.startswith(f"bad {name}: ") and reason in err, err
    good = load_plans(corpus)
    return good


def test_binary_plan_in_the_folder_is_named_and_the_others_still_load(corpus, capsys):
    victim = PLANS[0]
    (corpus / victim.path.name).write_bytes(os.urandom(2048) + b"\x00" * 10)
    good = _bad_in_folder(capsys, corpus, f"{victim.id}.json", "binary file")
    assert [p.id for p in good] == [p.id for p in PLANS if p.id != victim.id]


def test_a_deleted_metadata_file_names_the_text_and_its_province_is_not_answered_from_others(corpus, capsys):
    from assistant.understand import plan_holdings, understand

    victim = PLANS[-1]
    (corpus / f"{victim.id}.json").unlink()
    good = _bad_in_folder(capsys, corpus, victim.path.name, "no metadata file names it")
    assert victim.id not in [p.id for p in good] and len(good) == len(PLANS) - 1
    q = understand(f"Ai chủ trì ở {victim.province}?", plan_holdings(good))
    assert q.provinces == [] and q.unknown_provinces == [victim.province]


def test_metadata_without_signer_is_valid(corpus, capsys):
    meta_path = corpus / f"{PLANS[0].id}.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta.pop("signer")
    meta.pop("signer_title")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    rc, _out, err = _check(capsys, corpus)
    assert rc == 0 and err == ""
    assert next(p for p in load_plans(corpus) if p.id == PLANS[0].id).signer == ""


def test_metadata_missing_its_province_is_named(corpus, capsys):
    meta_path = corpus / f"{PLANS[0].id}.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta.pop("province")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _bad_in_folder(capsys, corpus, meta_path.name, "province: field required")


def test_duplicate_id_in_the_folder_is_named(corpus, capsys):
    src = PLANS[0]
    _new, text = _variant_text(src)
    (corpus / "other.txt").write_text(text, encoding="utf-8")
    meta = json.loads((corpus / f"{src.id}.json").read_text("utf-8"))
    (corpus / "other.json").write_text(
        json.dumps({**meta, "file": "other.txt"}, ensure_ascii=False), encoding="utf-8"
    )
    good = _bad_in_folder(capsys, corpus, "other.json", f"duplicate plan id {src.id!r}")
    assert [p.id for p in good] == [p.id for p in PLANS]


def test_duplicate_text_in_the_folder_is_named(corpus, capsys):
    src = PLANS[0]
    shutil.copyfile(src.path, corpus / "zz-copy.txt")
    meta = json.loads((corpus / f"{src.id}.json").read_text("utf-8"))
    (corpus / "zz-copy.json").write_text(
        json.dumps({**meta, "id": "zz-copy", "file": "zz-copy.txt"}, ensure_ascii=False), encoding="utf-8"
    )
    good = _bad_in_folder(capsys, corpus, "zz-copy.json", "duplicate text")
    assert [p.id for p in good] == [p.id for p in PLANS]


def test_an_empty_plan_in_the_folder_is_named(corpus, capsys):
    victim = PLANS[1]
    (corpus / victim.path.name).write_text("KẾ HOẠCH\n", encoding="utf-8")
    good = _bad_in_folder(capsys, corpus, f"{victim.id}.json", "empty")
    assert victim.id not in [p.id for p in good]


def test_corpus_dir_setting_is_honoured(corpus, monkeypatch, capsys):
    (corpus / f"{PLANS[0].id}.json").unlink()
    (corpus / PLANS[0].path.name).unlink()
    monkeypatch.setenv("PLANS_CORPUS_DIR", str(corpus))
    assert [p.id for p in load_plans()] == [p.id for p in PLANS[1:]]
    rc, out, _err = _run(capsys, "check")
    assert rc == 0 and PLANS[0].id not in out


def test_new_plan_keeps_todays_metadata_valid():
    for plan in PLANS:
        assert dataclasses.asdict(plan)["province"] == plan.province
