#!/usr/bin/env bash
# Makes the corpus's PDF variants: each corpus/*.docx printed to PDF by LibreOffice, written
# as corpus/pdf_<stem>.pdf, with the source's truth copied to expected/truth/pdf_<stem>.json.
# With --no-borders, the tables' borders are removed first (an unruled table: the reader must
# rebuild it from text alignment); the output is corpus/pdf_noborder_<stem>.pdf.
#   scripts/make_pdfs.sh [--no-borders] [STEM...]      (default: every .docx in corpus/)
# Needs soffice (Debian: libreoffice-writer), a CJK font (Debian: fonts-wqy-zenhei), python3.
# The PDFs carry a creation date, so a re-run changes their bytes; the text does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=/tmp/lo_pdf_profile
prefix=pdf_
if [ "${1:-}" = --no-borders ]; then
  prefix=pdf_noborder_
  shift
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ "$#" -gt 0 ]; then
  srcs=()
  for s in "$@"; do srcs+=("corpus/$s.docx"); done
else
  srcs=(corpus/*.docx)
fi
for src in "${srcs[@]}"; do
  stem=$(basename "$src" .docx)
  in="$src"
  if [ "$prefix" = pdf_noborder_ ]; then
    in="$out/$stem.docx"
    python3 - "$src" "$in" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
nil = ('<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>'
       '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>')
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as out:
    for it in z.infolist():
        d = z.read(it.filename)
        if it.filename in ('word/document.xml', 'word/styles.xml'):
            t = d.decode('utf8')
            t = re.sub(r'<w:tblBorders>.*?</w:tblBorders>', nil, t, flags=re.S)
            t = re.sub(r'<w:tblBorders/>', nil, t)
            t = re.sub(r'<w:tcBorders>.*?</w:tcBorders>', '', t, flags=re.S)
            if '<w:tblBorders>' not in t:
                t = t.replace('<w:tblPr>', '<w:tblPr>' + nil)
            d = t.encode('utf8')
        out.writestr(it, d)
PY
  fi
  soffice -env:UserInstallation=file://$profile --headless --convert-to pdf --outdir "$out" "$in" >/dev/null 2>&1
  cp "$out/$stem.pdf" "corpus/$prefix$stem.pdf"
  cp "expected/truth/$stem.json" "expected/truth/$prefix$stem.json"
  echo "corpus/$prefix$stem.pdf"
done
