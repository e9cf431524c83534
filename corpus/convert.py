"""Plan files to canonical text: .txt (UTF-8), .docx (python-docx), .pdf with a text layer (pypdf)."""

from __future__ import annotations

from pathlib import Path

from corpus.checks import decode
from corpus.normal import canonical_text

SUFFIXES = (".txt", ".docx", ".pdf")
#: a PDF page with fewer letters than this has no usable text layer
_MIN_PAGE_LETTERS = 20


def _docx(path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ValueError(f"{path.name}: not a readable .docx file ({exc.__class__.__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{path.name}: not a readable PDF ({exc.__class__.__name__})") from None
    if not pages or all(sum(c.isalpha() for c in p) < _MIN_PAGE_LETTERS for p in pages):
        raise ValueError(f"{path.name}: scanned PDF (no text layer): run OCR first")
    return "\n".join(pages)


def to_text(path: Path) -> str:
    """The canonical text (NFC, '\\n' line ends) of a plan file; ValueError names the problem."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}"
        )
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if suffix == ".txt":
        raw = decode(path.read_bytes(), path.name)
    elif suffix == ".docx":
        raw = _docx(path)
    else:
        raw = _pdf(path)
    return canonical_text(raw)
