#!/usr/bin/env python3
"""Write a benchmark batch: OUT/docx/*.docx and OUT/html/*.html, N files in all (half each).

The corpus's .docx and .html reports (both templates) are copied round-robin; every copy is made
distinct (its own sha256) without changing what it says: a .docx gets a zip comment (the zip is
rewritten entry by entry), an .html a trailing comment.  Standard library only.

    python3 scripts/bench_vary.py OUT N
"""

import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def vary_docx(data: bytes, i: int) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.comment = f"xxgk bench copy {i}".encode()
    return buf.getvalue()


def vary_html(data: bytes, i: int) -> bytes:
    return data + f"\n<!-- xxgk bench copy {i} -->\n".encode("ascii")


def main() -> None:
    out, n = Path(sys.argv[1]), int(sys.argv[2])
    for fmt, vary in (("docx", vary_docx), ("html", vary_html)):
        # Files named .docx/.html that are something else (misnamed_*) are not this batch.
        srcs = sorted(p for p in (ROOT / "corpus").glob(f"*.{fmt}") if not p.name.startswith("misnamed_"))
        datas = [p.read_bytes() for p in srcs]
        (out / fmt).mkdir(parents=True, exist_ok=True)
        for i in range(n // 2):
            j = i % len(datas)
            name = f"{i:06d}_{srcs[j].stem}.{fmt}"
            (out / fmt / name).write_bytes(vary(datas[j], i))


if __name__ == "__main__":
    main()
