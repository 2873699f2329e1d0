#!/usr/bin/env bash
# Renditions of a few generated reports, made the way offices make files, committed to corpus/
# with a copy of the source report's truth (values are identical):
#   word_<stem>.docx   Word-like WordprocessingML (gen_corpus.py renderer docx)
#   wps_<stem>.docx    WPS-like WordprocessingML with w:hMerge (renderer docx-wps)
#   lo_<stem>.doc      LibreOffice: Word docx → Word 97-2003 .doc
#   lo_<stem>.docx     LibreOffice: Word docx → docx ("Office Open XML Text")
#   lo_<stem>.html     LibreOffice: Word docx → HTML (writer's HTML export)
#   lo_<stem>.rtf      LibreOffice: Word docx → RTF
#   mht_<stem>.mht     the GBK Word-HTML rendition in a MIME multipart, quoted-printable
#   mht_<stem>.mhtml   the same with the HTML part base64-encoded (and a base64 image part)
# and encoding variants of one HTML report (enc_*.html), and misnamed files (misnamed_*).
#
# Needs python3 and LibreOffice (apt-get install libreoffice-writer-nogui). CI does not run
# this: it only reads the committed files. Re-running rewrites the same names (LibreOffice
# output carries its own timestamps, so bytes differ run to run).
#   scripts/make_renditions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
STEMS=(seed_jingshan_2020 v2019_02_xinhua_2020 v2019_04_tuoshi_2020 v2021_01_jingshan_2021
  v2021_05_donghu_2023 v2021_11_zhongshan_2021)
ENC_STEM=v2021_11_zhongshan_2021
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="file://$work/lo_profile"

args=()
for s in "${STEMS[@]}"; do
  args+=(--render "$s:docx:$work/word_$s.docx" --render "$s:docx-wps:$work/wps_$s.docx"
    --render "$s:html:$work/gbk_$s.html")
done
python3 scripts/gen_corpus.py "${args[@]}"

mkdir -p "$work/lo"
for s in "${STEMS[@]}"; do
  cp "$work/word_$s.docx" "$work/wps_$s.docx" corpus/
  cp "$work/word_$s.docx" "$work/lo/lo_$s.docx"
  for k in word wps; do  # the committed original already is this rendition
    if cmp -s "corpus/${k}_$s.docx" "corpus/$s.docx"; then rm "corpus/${k}_$s.docx"; fi
  done
done
# LibreOffice writes <name>.<ext> into --outdir; the docx → docx conversion goes to its own folder.
for fmt in doc rtf html; do
  ext=${fmt%%:*}
  timeout 300 soffice -env:UserInstallation="$profile" --headless --convert-to "$fmt" \
    --outdir "$work/out_$ext" "$work"/lo/lo_*.docx >/dev/null
  cp "$work/out_$ext"/lo_*."$ext" corpus/
done
timeout 300 soffice -env:UserInstallation="$profile" --headless \
  --convert-to 'docx:MS Word 2007 XML' --outdir "$work/out_docx" "$work"/lo/lo_*.docx >/dev/null
cp "$work/out_docx"/lo_*.docx corpus/

python3 scripts/make_mht.py "$work" "${STEMS[@]}"
python3 scripts/make_encodings.py "$work/gbk_$ENC_STEM.html" "$ENC_STEM"

# Misnamed files: the bytes decide, not the name.
s=${STEMS[0]}
cp "corpus/lo_$s.rtf" "corpus/misnamed_rtf_$s.doc"        # RTF saved as .doc (common on gov sites)
cp "$work/gbk_$s.html" "corpus/misnamed_html_$s.doc"       # Word "web page" saved as .doc
cp "corpus/lo_$s.doc" "corpus/misnamed_doc_$s.docx"         # a .doc renamed .docx

# Truth: copy the source report's truth for every new stem.
for f in corpus/lo_* corpus/wps_* corpus/word_* corpus/mht_* corpus/enc_* corpus/misnamed_*; do
  name=$(basename "$f")
  stem=${name%.*}
  src=$(python3 - "$stem" "${STEMS[@]}" <<'EOF'
import sys
stem, stems = sys.argv[1], sys.argv[2:]
print(next(s for s in stems if stem.endswith("_" + s)))
EOF
)
  cp "expected/truth/$src.json" "expected/truth/$stem.json"
done
ls -l corpus/lo_* corpus/wps_* corpus/word_* corpus/mht_* corpus/enc_* corpus/misnamed_* | awk '{print $5, $9}'
