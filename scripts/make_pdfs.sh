#!/usr/bin/env bash
# Makes the corpus's PDF variants: each corpus/*.docx printed to PDF by LibreOffice, written
# as corpus/pdf_<stem>.pdf, with the source's truth copied to expected/truth/pdf_<stem>.json.
#   scripts/make_pdfs.sh [STEM...]      (default: every .docx in corpus/)
# Needs soffice (Debian: libreoffice-writer) and a CJK font (Debian: fonts-wqy-zenhei).
# The PDFs carry a creation date, so a re-run changes their bytes; the text does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=/tmp/lo_pdf_profile
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
  soffice -env:UserInstallation=file://$profile --headless --convert-to pdf --outdir "$out" "$src" >/dev/null 2>&1
  cp "$out/$stem.pdf" "corpus/pdf_$stem.pdf"
  cp "expected/truth/$stem.json" "expected/truth/pdf_$stem.json"
  echo "corpus/pdf_$stem.pdf"
done
