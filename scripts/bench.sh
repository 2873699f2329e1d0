#!/usr/bin/env bash
# Throughput of `xxgk extract` on a generated batch, per format, timed as a whole process:
#   docx, html — the generated corpus originals (not the renditions);
#   doc        — the LibreOffice renditions lo_*.doc (each read by a worker process);
#   pdf        — corpus/pdf_*.pdf and the real PDFs in ../shared/real/ when present;
# each copied N times (default 1000 per format).
#   scripts/bench.sh [N]
# Prints files/s per format and thread count. Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
bin=target/release/xxgk
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
formats=(docx html doc pdf)
for fmt in "${formats[@]}"; do
  mkdir -p "$work/$fmt"
  srcs=()
  case "$fmt" in
    doc) srcs=(corpus/lo_*.doc) ;;
    pdf)
      srcs=(corpus/pdf_*.pdf)
      if ls ../shared/real/*.pdf >/dev/null 2>&1; then srcs+=(../shared/real/*.pdf); fi
      ;;
    *) for s in corpus/v20*."$fmt" corpus/seed_*."$fmt"; do srcs+=("$s"); done ;;
  esac
  i=0
  while [ "$i" -lt "$n" ]; do
    for s in "${srcs[@]}"; do
      [ "$i" -lt "$n" ] || break
      cp "$s" "$work/$fmt/$(printf '%06d' "$i").$fmt"
      i=$((i + 1))
    done
  done
done
for fmt in "${formats[@]}"; do
  for jobs in 1 2; do
    # warm the page cache, then time
    "$bin" extract "$work/$fmt" -j "$jobs" -o /dev/null 2>/dev/null
    start=$(date +%s.%N)
    "$bin" extract "$work/$fmt" -j "$jobs" -o /dev/null 2>/dev/null
    end=$(date +%s.%N)
    awk -v n="$n" -v s="$start" -v e="$end" -v f="$fmt" -v j="$jobs" \
      'BEGIN { t = e - s; printf "%-5s -j%d: %d files in %.2f s = %.0f files/s\n", f, j, n, t, n / t }'
  done
done
