"""What a plan's text states about itself: province, title, type, number, date, signer."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.normal import fold, fold_words

_UNITS = Path(__file__).resolve().parent.parent / "assistant" / "data" / "admin_units.yaml"
_NUMBER = re.compile(r"^\s*Số\s*:\s*(\S+)", re.MULTILINE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_SIGNATURE = re.compile(r"^(?:KT\.\s*|TM\.\s*.*|Q\.\s*)?CHỦ TỊCH\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def unit_names() -> tuple[str, ...]:
    """The 63 earlier and 34 current provincial-level unit names (admin_units.yaml)."""
    data = yaml.safe_load(_UNITS.read_text(encoding="utf-8"))
    names: list[str] = []
    for e in data["old"] + data["new"]:
        if e["name"] not in names:
            names.append(e["name"])
    return tuple(names)


def find_province(text: str) -> str | None:
    """The unit the plan is of: the one most named as 'tỉnh X' / 'thành phố X', or None when
    no unit is named or two are named equally often."""
    folded = fold_words(text)
    counts = []
    for name in unit_names():
        f = re.escape(fold(name))
        n = len(re.findall(rf"\b(?:tinh|thanh pho|tp\.?) {f}\b", folded))
        if n:
            counts.append((n, name))
    counts.sort(reverse=True)
    if not counts or (len(counts) > 1 and counts[0][0] == counts[1][0]):
        return None
    return counts[0][1]


def plain(name: str) -> str:
    """'Kiên Giang' → 'Kien Giang'."""
    return " ".join(w[:1].upper() + w[1:] for w in fold(name).split())


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def read_metadata(text: str, province: str) -> dict:
    """The fields the text states; empty where it does not say."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = "\n".join(lines[:40])
    first = fold(lines[0]) if lines else ""
    doc_type = (
        "Quyết định"
        if first == "quyet dinh"
        else "Kế hoạch"
        if any(fold(x) == "ke hoach" for x in lines[:10])
        else ""
    )
    title = ""
    for i, line in enumerate(lines[:10]):
        if fold(line) == "ke hoach" and i + 1 < len(lines):
            title = f"Kế hoạch {lines[i + 1][:1].lower()}{lines[i + 1][1:].lower()}"
            break
    number = _NUMBER.search(head)
    date = _DATE.search(head)
    signer = ""
    sig = list(_SIGNATURE.finditer(text))
    if sig:
        after = [x.strip() for x in text[sig[-1].end() :].splitlines() if x.strip()]
        names = [x for x in after if 1 < len(x.split()) <= 5 and x.istitle()]
        signer = names[-1] if names else ""
    level = "thành phố" if re.search(rf"\bthanh pho {re.escape(fold(province))}\b", fold(head)) else "tỉnh"
    return {
        "province": province,
        "province_en": plain(province),
        "title": title,
        "issuer": f"Ủy ban nhân dân {level} {province}",
        "document_type": doc_type,
        "decision_number": number.group(1) if number else "",
        "decision_date": f"{int(date.group(1)):02d}/{int(date.group(2)):02d}/{date.group(3)}" if date else "",
        "signer": signer,
        "signer_title": "",
    }
