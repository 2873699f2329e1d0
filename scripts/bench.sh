#!/usr/bin/env bash
# Throughput of `xxgk extract` on a generated batch: the corpus's .docx, .html and legacy .doc
# reports (the .doc are the LibreOffice renditions lo_*.doc; each is read by a worker process)
# copied N times each (default 1000 per format), timed as a whole process.
#   scripts/bench.sh [N]
# Prints files/s per format. Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
bin=target/release/xxgk
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
formats=(docx html doc)
for fmt in "${formats[@]}"; do
  mkdir -p "$work/$fmt"
  if [ "$fmt" = doc ]; then
    srcs=(corpus/lo_*.doc)
  else # the generated originals, not the renditions (lo_, wps_, enc_, … prefixes)
    srcs=()
    for s in corpus/v20*."$fmt" corpus/seed_*."$fmt"; do srcs+=("$s"); done
  fi
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
