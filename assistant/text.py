"""Vietnamese text helpers: diacritic folding (length-preserving), syllables, sentences."""

from __future__ import annotations

import itertools
import re
import unicodedata

from corpus.normal import fold as _fast_fold

_WORD = re.compile(r"[0-9a-z]+(?:[/.-][0-9a-z]+)*")


def fold(text: str) -> str:
    """Lowercase, Vietnamese diacritics removed (đ→d); one output char per input char."""
    return _fast_fold(text)  # the same mapping, as one str.translate


def fold_words(text: str) -> str:
    """`fold` with whitespace collapsed: for comparing phrases."""
    return " ".join(fold(text).split())


def syllables(text: str) -> list[str]:
    """Folded syllables; a compound like 145/qd-ttg or asean-6 is kept whole and also split."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        out.append(word)
        if not word.isalnum():
            out.extend(p for p in re.split(r"[/.-]", word) if p)
    return out


def has_diacritics(text: str) -> bool:
    return any(unicodedata.normalize("NFD", c) != c or c in "đĐ" for c in text)


_SYLLABLE = re.compile(r"\w+", re.UNICODE)


class DiacriticRestorer:
    """Puts diacritics back on Vietnamese typed without them, from the corpus's own words:
    "dao tao nghe" → "đào tạo nghề". The pair with the next word decides first, then the pair
    with the previous word, then the syllable's most frequent form."""

    def __init__(self, texts):
        from collections import Counter, defaultdict

        uni: dict[str, Counter] = defaultdict(Counter)
        bi: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for text in texts:
            words = [w.lower() for w in _SYLLABLE.findall(text)]
            for i, w in enumerate(words):
                uni[fold(w)][w] += 1
                if i:
                    bi[(fold(words[i - 1]), fold(w))][(words[i - 1], w)] += 1
        self.uni = {k: c.most_common(1)[0][0] for k, c in uni.items()}
        self.bi = {k: c.most_common(1)[0][0] for k, c in bi.items()}

    def tables(self) -> dict:
        """The restorer's tables as JSON-ready data (stored with the index at build time)."""
        return {"uni": self.uni, "bi": [[*k, *v] for k, v in self.bi.items()]}

    @classmethod
    def from_tables(cls, tables: dict) -> DiacriticRestorer:
        """The restorer from `tables()` output, without reading any text."""
        restorer = cls(())
        restorer.uni = dict(tables["uni"])
        restorer.bi = {(a, b): (x, y) for a, b, x, y in tables["bi"]}
        return restorer

    def restore(self, text: str) -> str:
        tokens = re.findall(r"\w+|\W+", text)
        words = [i for i, tok in enumerate(tokens) if tok[0].isalnum()]
        out = list(tokens)
        for n, i in enumerate(words):
            token = tokens[i]
            if has_diacritics(token):
                continue
            f = fold(token)
            nxt = fold(tokens[words[n + 1]]) if n + 1 < len(words) else None
            prev = fold(tokens[words[n - 1]]) if n else None
            if nxt is not None and (f, nxt) in self.bi:
                out[i] = self.bi[(f, nxt)][0]
            elif prev is not None and (prev, f) in self.bi:
                out[i] = self.bi[(prev, f)][1]
            else:
                out[i] = self.uni.get(f, token)
        return "".join(out)


_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")  # huyền, sắc, hỏi, ngã, nặng
_MARKED = re.compile(r"[^\W_]+")


def marked_syllables(text: str) -> list[str]:
    """Lowercase syllables that keep their marks, the tone mark moved to the end wherever it was
    placed ("hoà" and "hòa" are one syllable; "lương" and "lượng" are two): for telling apart
    words that fold to the same syllable."""
    out = []
    for word in _MARKED.findall(text.lower()):
        decomposed = unicodedata.normalize("NFD", word)
        tone = next((c for c in decomposed if c in _TONES), "")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out.append(base + tone)
    return out


def marked_tokens(text: str) -> set[str]:
    """`marked_syllables` and their bigrams, only those with a mark (the others are the folded
    syllables `index.lexical.lexical_tokens` already gives)."""
    syl = marked_syllables(text)
    tokens = set(syl) | {f"{a}_{b}" for a, b in itertools.pairwise(syl)}
    return {t for t in tokens if not t.replace("_", "").isascii()}
