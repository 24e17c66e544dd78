"""Build storage/data/congress_*.tsv, the members of Congress by ZIP code, from their source files.

    .venv/bin/python tools/build_congress.py                 # from tools/congress-sources (shipped)
    .venv/bin/python tools/build_congress.py SOURCE_DIR      # from another copy of the same files
    .venv/bin/python tools/build_congress.py --check         # exit 1 if the shipped files are not what the sources give

The sources and the files' format: storage/congress_sources.py and storage/congress.py. A
running deployment loads newer sources without a release with `organizer-bot congress load DIR`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.congress import SHIPPED_DIR  # noqa: E402
from storage.congress_sources import SourceError, build, write  # noqa: E402

DEFAULT_SOURCES = ROOT / "tools" / "congress-sources"  # the copies the shipped data is built from


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources", nargs="?", type=Path, default=DEFAULT_SOURCES, help=f"the source files (default {DEFAULT_SOURCES})"
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing them")
    args = parser.parse_args()
    try:
        files = build(args.sources)
    except SourceError as error:
        print(f"build_congress: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = [name for name, text in files.items() if (SHIPPED_DIR / name).read_bytes() != text]
        if stale:
            print(f"{', '.join(stale)} not what {args.sources} gives: run tools/build_congress.py", file=sys.stderr)
            return 1
        return 0
    write(files, SHIPPED_DIR)
    for name, text in files.items():
        print(f"wrote storage/data/{name}: {len(text.splitlines()) - 1} lines, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
