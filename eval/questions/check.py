"""Validate the gold question set (stdlib only).

Usage: python eval/questions/check.py [eval/questions/gold.jsonl] [--no-targets]

Checks every line: JSON object, required fields and their types, allowed type / lang / province values,
unique ids, turns (last turn == question), must_include (empty iff type is "abstain"; each requirement is
non-empty alternatives separated by " | "), evidence (empty for abstain items, 1-3 strings otherwise -- 0-3
for "general" -- each 40-200 characters and an exact substring of the named province's plan; for province
"all" of any plan; none allowed for province "none"). Then prints counts by type, province and language and,
unless --no-targets, checks the target counts of the set. Exits 1 with one line per problem.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLANS_DIR = ROOT / "corpus" / "plans"
DEFAULT_GOLD = Path(__file__).resolve().parent / "gold.jsonl"

TYPES = (
    "lead",
    "coordinate",
    "agency_duty",
    "target",
    "funding",
    "timing",
    "legal_basis",
    "issuer",
    "compare",
    "followup",
    "abstain",
    "general",
)
LANGS = ("vi", "en")
SPECIAL_PROVINCES = ("all", "none")
REQUIRED = {
    "id": str,
    "question": str,
    "type": str,
    "province": str,
    "lang": str,
    "must_include": list,
    "evidence": list,
}
OPTIONAL = {"turns": list, "note": str}

#: Minimum counts of the gold set (type, province, language).
TYPE_TARGETS = {
    "lead": 8,
    "coordinate": 8,
    "agency_duty": 12,
    "target": 8,
    "funding": 6,
    "timing": 8,
    "legal_basis": 6,
    "issuer": 6,
    "compare": 10,
    "followup": 10,
    "abstain": 14,
    "general": 4,
}
MIN_ITEMS = 110
MIN_PER_PROVINCE = 15
MIN_VI_NO_DIACRITICS = 20
EN_SHARE_RANGE = (0.30, 0.42)

EVIDENCE_MIN, EVIDENCE_MAX = 40, 200
ALT_SEP = " | "


def load_plans(plans_dir: Path = PLANS_DIR) -> dict[str, str]:
    """Plan id -> verbatim text, read byte-for-byte like corpus.loader does."""
    plans: dict[str, str] = {}
    for meta_path in sorted(plans_dir.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with open(meta_path.with_name(meta["file"]), encoding="utf-8", newline="") as fh:
            plans[meta["id"]] = fh.read()
    return plans


def has_vietnamese_marks(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (or đ/Đ)."""
    for ch in text:
        if ch in "đĐ":
            return True
        if ord(ch) > 127 and ch.isalpha():
            decomposed = unicodedata.normalize("NFD", ch)
            if any(unicodedata.combining(c) for c in decomposed):
                return True
    return False


def lang_bucket(item: dict) -> str:
    """One of en, vi (with diacritics) or vi-plain (Vietnamese typed without diacritics)."""
    if item.get("lang") == "en":
        return "en"
    return "vi" if has_vietnamese_marks(str(item.get("question", ""))) else "vi-plain"


def check_item(item: object, where: str, plans: dict[str, str]) -> list[str]:
    """Problems of one parsed line (the id-uniqueness check is done by the caller)."""
    if not isinstance(item, dict):
        return [f"{where}: not a JSON object"]
    problems: list[str] = []
    for key, typ in REQUIRED.items():
        if key not in item:
            problems.append(f"{where}: missing field {key!r}")
        elif not isinstance(item[key], typ):
            problems.append(f"{where}: field {key!r} must be a {typ.__name__}")
    for key, typ in OPTIONAL.items():
        if key in item and not isinstance(item[key], typ):
            problems.append(f"{where}: field {key!r} must be a {typ.__name__}")
    for key in item:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(f"{where}: unknown field {key!r}")
    if problems:
        return problems

    qtype, province, lang = item["type"], item["province"], item["lang"]
    if not item["id"].strip():
        problems.append(f"{where}: empty id")
    if not item["question"].strip():
        problems.append(f"{where}: empty question")
    if qtype not in TYPES:
        problems.append(f"{where}: type {qtype!r} not one of {', '.join(TYPES)}")
    if lang not in LANGS:
        problems.append(f"{where}: lang {lang!r} not one of {', '.join(LANGS)}")
    if province not in plans and province not in SPECIAL_PROVINCES:
        allowed = ", ".join([*sorted(plans), *SPECIAL_PROVINCES])
        problems.append(f"{where}: province {province!r} not one of {allowed}")

    if "turns" in item:
        turns = item["turns"]
        if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            problems.append(f"{where}: turns must be a non-empty list of non-empty strings")
        elif turns[-1] != item["question"]:
            problems.append(f"{where}: last turn differs from question")
    if qtype == "followup" and len(item.get("turns") or []) < 2:
        problems.append(f"{where}: a followup item needs at least 2 turns")
    if "note" in item and not item["note"].strip():
        problems.append(f"{where}: empty note")

    must = item["must_include"]
    if qtype == "abstain" and must:
        problems.append(f"{where}: abstain item must have an empty must_include")
    if qtype != "abstain" and not must:
        problems.append(
            f"{where}: must_include is empty but type is {qtype!r} (only abstain items have none)"
        )
    for req in must:
        if not isinstance(req, str):
            problems.append(f"{where}: must_include entries must be strings")
            continue
        alternatives = req.split(ALT_SEP)
        if any(not alt.strip() for alt in alternatives):
            problems.append(f"{where}: requirement {req!r} has an empty alternative")

    evidence = item["evidence"]
    if qtype == "abstain":
        low, high = 0, 0
    elif qtype == "general":
        low, high = 0, 3
    else:
        low, high = 1, 3
    if not low <= len(evidence) <= high:
        problems.append(f"{where}: {len(evidence)} evidence strings; type {qtype!r} needs {low}-{high}")
    if province == "none" and evidence:
        problems.append(f"{where}: province 'none' cannot have evidence")
    for ev in evidence:
        if not isinstance(ev, str):
            problems.append(f"{where}: evidence entries must be strings")
            continue
        short = ev[:50].replace("\n", "\\n")
        if not EVIDENCE_MIN <= len(ev) <= EVIDENCE_MAX:
            problems.append(
                f"{where}: evidence {short!r}... is {len(ev)} chars (needs {EVIDENCE_MIN}-{EVIDENCE_MAX})"
            )
        if province in plans:
            if ev not in plans[province]:
                problems.append(
                    f"{where}: evidence {short!r}... is not an exact substring of plan {province!r}"
                )
        elif province == "all" and not any(ev in text for text in plans.values()):
            problems.append(f"{where}: evidence {short!r}... is not an exact substring of any plan")
    return problems


def check_targets(items: list[dict], plans: dict[str, str]) -> list[str]:
    """Shortfalls against the target counts of the gold set."""
    problems: list[str] = []
    types = Counter(i["type"] for i in items)
    provinces = Counter(i["province"] for i in items)
    buckets = Counter(lang_bucket(i) for i in items)
    if len(items) < MIN_ITEMS:
        problems.append(f"targets: {len(items)} items, need at least {MIN_ITEMS}")
    for qtype, minimum in TYPE_TARGETS.items():
        if types[qtype] < minimum:
            problems.append(f"targets: {types[qtype]} {qtype} items, need at least {minimum}")
    for plan_id in sorted(plans):
        if provinces[plan_id] < MIN_PER_PROVINCE:
            problems.append(
                f"targets: {provinces[plan_id]} items for {plan_id}, need at least {MIN_PER_PROVINCE}"
            )
    if buckets["vi-plain"] < MIN_VI_NO_DIACRITICS:
        problems.append(
            f"targets: {buckets['vi-plain']} Vietnamese items without diacritics, "
            f"need at least {MIN_VI_NO_DIACRITICS}"
        )
    if items:
        share = buckets["en"] / len(items)
        low, high = EN_SHARE_RANGE
        if not low <= share <= high:
            problems.append(f"targets: English share {share:.0%}, want {low:.0%}-{high:.0%}")
    return problems


def print_counts(items: list[dict], out=sys.stdout) -> None:
    def table(title: str, counter: Counter, order: list[str]) -> None:
        print(f"\n{title}", file=out)
        for key in order:
            if counter[key]:
                print(f"  {key:<14}{counter[key]:>5}", file=out)
        print(f"  {'total':<14}{sum(counter.values()):>5}", file=out)

    types = Counter(i.get("type") for i in items)
    provinces = Counter(i.get("province") for i in items)
    buckets = Counter(lang_bucket(i) for i in items)
    province_order = sorted(k for k in provinces if k not in SPECIAL_PROVINCES) + list(SPECIAL_PROVINCES)
    table("by type", types, [*TYPES, *sorted(set(types) - set(TYPES))])
    table("by province", provinces, province_order)
    table("by lang", Counter(i.get("lang") for i in items), list(LANGS))
    n = len(items) or 1
    print(
        f"  (en {buckets['en'] / n:.0%}; vi with diacritics {buckets['vi']}, vi without diacritics "
        f"{buckets['vi-plain']}; multi-turn {sum(1 for i in items if len(i.get('turns') or []) > 1)})",
        file=out,
    )


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    check_counts = "--no-targets" not in argv
    path = Path(args[0]) if args else DEFAULT_GOLD
    if not path.is_file():
        print(f"{path}: file not found")
        return 1
    plans = load_plans()
    problems: list[str] = []
    items: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_questions: dict[tuple, str] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            where = f"{path.name}:{lineno}"
            if not line.strip():
                problems.append(f"{where}: blank line")
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc.msg})")
                continue
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                where = f"{where} [{item['id']}]"
            item_problems = check_item(item, where, plans)
            problems.extend(item_problems)
            if not isinstance(item, dict):
                continue
            item_id = item.get("id")
            if isinstance(item_id, str):
                if item_id in seen_ids:
                    problems.append(f"{where}: duplicate id (first on line {seen_ids[item_id]})")
                else:
                    seen_ids[item_id] = lineno
            key = (str(item.get("question")), tuple(item.get("turns") or ()))
            if key in seen_questions:
                problems.append(f"{where}: duplicate question (same as {seen_questions[key]})")
            else:
                seen_questions[key] = str(item_id)
            if not item_problems:
                items.append(item)
    print(f"{path}: {len(items)} valid items")
    print_counts(items)
    if check_counts:
        problems.extend(check_targets(items, plans))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for problem in problems:
            print(problem)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
