#!/bin/sh
# Runs every fuzz target for SECONDS each (default 600), two at a time, seeding each corpus from
# corpus/ (and fuzz/regressions/<target>/). Needs cargo-fuzz (`cargo install cargo-fuzz`); on the
# stable toolchain RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags. Crashes land in
# fuzz/artifacts/<target>/; copy each into fuzz/regressions/<target>/ once fixed, where
# tests/fuzz_regressions.rs replays it on every `cargo test`.
set -eu
SECONDS_EACH=${1:-600}
TARGETS=${TARGETS:-"docx docx_xml html text pipeline mapper doc mhtml"}
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
seed() {
    t=$1
    d=fuzz/corpus/$t
    mkdir -p "$d"
    # The reports at the top of corpus/, and the small hostile files (the big ones only slow
    # every execution down).
    small="find corpus -type f -size -40k"
    case $t in
        docx) $small -name '*.docx' -exec cp {} "$d/" \; ;;
        # The document.xml parts themselves (the differential fast/NsReader target).
        docx_xml) python3 -c 'import sys, zipfile, pathlib
for f in sys.argv[2:]:
    try:
        z = zipfile.ZipFile(f)
        pathlib.Path(sys.argv[1], pathlib.Path(f).stem + ".xml").write_bytes(z.read("word/document.xml"))
    except Exception:
        pass' "$d" corpus/*.docx ;;
        html) find corpus -maxdepth 1 -name '*.html' -exec cp {} "$d/" \; ;;
        text) find corpus \( -name '*.txt' -o -name '*.md' \) -exec cp {} "$d/" \; ;;
        pipeline) find corpus -maxdepth 1 -type f -exec cp {} "$d/" \; ; $small -exec cp {} "$d/" \; ;;
        mapper) ;; # bytes are a program, not a file: starts from scratch
        doc) find corpus -maxdepth 1 \( -name '*.doc' -o -name '*.rtf' \) -exec cp {} "$d/" \; ;;
        mhtml) find corpus -maxdepth 1 \( -name '*.mht' -o -name '*.mhtml' \) -exec cp {} "$d/" \; ;;
    esac
    if [ -d "fuzz/regressions/$t" ]; then cp fuzz/regressions/"$t"/* "$d/" 2>/dev/null || true; fi
}
cargo fuzz build -O
for t in $TARGETS; do seed "$t"; done
run() {
    # Pages of 64 KiB keep HTML executions fast (the seeds are cut there); docx seeds are small.
    # mapper: -len_control=0 so its programs are long (big tables) from the start.
    extra=
    case $1 in
        html | pipeline) len=65536 ;;
        mapper) len=2048 extra=-len_control=0 ;;
        docx_xml) len=131072 ;;
        *) len=262144 ;;
    esac
    # shellcheck disable=SC2086
    cargo fuzz run -O "$1" "fuzz/corpus/$1" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
        -timeout=20 -max_len="$len" $extra -print_final_stats=1 >"fuzz/$1.log" 2>&1 \
        && echo "$1: no crash in ${SECONDS_EACH}s" || echo "$1: FOUND SOMETHING, see fuzz/$1.log and fuzz/artifacts/$1/"
}
set -- $TARGETS
while [ $# -gt 0 ]; do
    run "$1" &
    if [ $# -gt 1 ]; then run "$2" & shift; fi
    shift
    wait
done
