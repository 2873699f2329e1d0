#!/usr/bin/env bash
# Fits the confidence model: generates the training part of the calibration corpus (documents
# 0..N-1; the held-back part the tests use starts at 100000) and writes
# src/confidence/model.json from how often each kind of field was read right.
#   scripts/calibrate.sh [N]        (default 800)
# Then rebuild, run `cargo test`, and bless the golden records (confidences change).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-800}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen_calibration.py --out "$work/docs" --truth "$work/truth" --start 0 --count "$n"
cargo build --release -q
# Fit with the model the pipeline currently has; features do not depend on it.
target/release/xxgk eval "$work/docs" --truth "$work/truth" --fit src/confidence/model.json
