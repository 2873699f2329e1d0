#!/usr/bin/env bash
# Throughput and peak memory of `xxgk extract` and `xxgk ingest` on a generated batch.
#   scripts/bench_batch.sh [N]        (N: files in the big batch, default 5000, half docx half HTML)
# The batch: the corpus's .docx and .html reports (both templates) copied round-robin, each copy
# made distinct so ingest does not take it for a duplicate: a zip comment in each .docx, a
# trailing HTML comment in each .html (scripts/bench_vary.py). Every measurement is one whole
# process under /usr/bin/time -v, after a warm-up run, default -j (all cores). Besides wall time
# it prints CPU time (user + system) and files per CPU-second, steadier on a shared machine.
# Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}
small=1000
bin=target/release/xxgk
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/bench_vary.py "$work/big" "$n"
# The small batch: the first files of each format, hard-linked.
mkdir -p "$work/small/docx" "$work/small/html"
for fmt in docx html; do
  find "$work/big/$fmt" -type f | sort | awk -v k=$((small / 2)) 'NR <= k' | xargs -I{} ln {} "$work/small/$fmt/"
done

measure() { # label files cmd...
  local label=$1 files=$2
  shift 2
  /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null
  awk -v label="$label" -v n="$files" '
    /Elapsed \(wall clock\)/ { split($NF, t, ":"); s = (length(t) == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
    /User time/ { cpu += $NF }
    /System time/ { cpu += $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%-36s %5d files %6.2f s %6.0f files/s  cpu %6.2f s (%5.0f files/cpu-s)  peak RSS %4.0f MiB\n", label, n, s, n / s, cpu, n / cpu, rss / 1024 }
  ' "$work/time.txt"
}

half=$((n / 2))
for fmt in docx html; do
  "$bin" extract "$work/big/$fmt" -o /dev/null 2>/dev/null # warm the page cache
  measure "extract $fmt" "$half" "$bin" extract "$work/big/$fmt" -o /dev/null
done
for size in small big; do
  files=$([ $size = small ] && echo $small || echo "$n")
  measure "extract docx+html ($size)" "$files" "$bin" extract "$work/$size" -o /dev/null
  rm -f "$work/$size.sqlite"*
  measure "ingest docx+html ($size, fresh db)" "$files" "$bin" ingest "$work/$size" --db "$work/$size.sqlite"
done
measure "ingest again (all unchanged)" "$n" "$bin" ingest "$work/big" --db "$work/big.sqlite"
measure "export wide csv" "$n" "$bin" export --db "$work/big.sqlite" --format csv -o "$work/wide.csv"
measure "export long csv" "$n" "$bin" export --db "$work/big.sqlite" --long -o "$work/long.csv"
ls -l "$work/big.sqlite" | awk '{ printf "store: %.0f MiB for %s files\n", $5 / 1048576, "'"$n"'" }'
