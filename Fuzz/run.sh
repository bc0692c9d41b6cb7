#!/usr/bin/env bash
# Builds the libFuzzer harnesses (swiftc -sanitize=fuzzer,address) and runs each for a while.
#
#   Fuzz/run.sh [seconds] [target...]     targets: idx png jpeg page checkpoint (default: all five)
#
# Each target runs for `seconds` (default 60) over its seed corpus in Fuzz/corpus/<target>/
# and the crashers kept in Fuzz/crashers/<target>/ (which must all pass now). New inputs the
# fuzzer finds go to .build-fuzz/corpus/<target>/, not into the repository; a crash, leak or
# timeout writes the input to .build-fuzz/artifacts/<target>/ and makes the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx png jpeg page checkpoint)

build=.build-fuzz
flags=(-parse-as-library -sanitize=fuzzer,address -O -g -I Sources/CPNG -I Sources/CZlib -I Sources/CIntrinsics/include -I Sources/CJPEGCodec/include -I "$build")
mkdir -p "$build"

# A library module as one object file and its .swiftmodule, instrumented for coverage.
module() {
    local name="$1"
    swiftc "${flags[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$build/$name.swiftmodule" \
        -c -o "$build/$name.o" $(find "Sources/$name" -name '*.swift' | sort)
}

# The C wrapper of libjpeg as one object file, instrumented like the Swift code; libjpeg itself
# runs uninstrumented.
cjpeg() {
    local file objects=()
    for file in Sources/CJPEGCodec/*.c; do
        objects+=("$build/CJPEGCodec-$(basename "$file" .c).o")
        clang -fsanitize=fuzzer-no-link,address -O1 -g -I Sources/CJPEGCodec/include -c "$file" -o "${objects[-1]}"
    done
    ld -r -o "$build/CJPEGCodec.o" "${objects[@]}"
}

# A harness linked with the modules it needs. ld.gold's "Cannot export local symbol" warnings
# about ASan's own symbols are harmless and filtered out.
harness() {
    local target="$1" source="$2"; shift 2
    swiftc "${flags[@]}" -o "$build/fuzz-$target" "Fuzz/harnesses/$source" "$@" -lpng16 -ljpeg -lz 2>&1 \
        | { grep -v 'Cannot export local symbol' || true; }
}

# Only the harnesses asked for are built, so one target can be rebuilt while another runs.
for target in "${targets[@]}"; do
    echo "fuzz: building $target"
    case "$target" in
        # DigitData reads user pictures through JPEG too, so it needs JPEG and the C wrapper.
        idx) module PNG; cjpeg; module JPEG; module DigitData
             harness idx IDXReaderFuzz.swift "$build/DigitData.o" "$build/JPEG.o" "$build/CJPEGCodec.o" "$build/PNG.o" ;;
        png) module PNG; cjpeg; module JPEG; module DigitData
             harness png PNGNormalizeFuzz.swift "$build/DigitData.o" "$build/JPEG.o" "$build/CJPEGCodec.o" "$build/PNG.o" ;;
        jpeg) module PNG; cjpeg; module JPEG
             harness jpeg JPEGDecodeFuzz.swift "$build/JPEG.o" "$build/CJPEGCodec.o" "$build/PNG.o" ;;
        page) module PNG; cjpeg; module JPEG; module DigitData
             harness page PageAnalysisFuzz.swift "$build/DigitData.o" "$build/JPEG.o" "$build/CJPEGCodec.o" "$build/PNG.o" ;;
        checkpoint) module NeuralNet
             harness checkpoint CheckpointFuzz.swift "$build/NeuralNet.o" ;;
        *) echo "fuzz: unknown target $target (idx, png, jpeg, page, checkpoint)"; exit 2 ;;
    esac
done

status=0
for target in "${targets[@]}"; do
    corpus="$build/corpus/$target" artifacts="$build/artifacts/$target"
    mkdir -p "$corpus" "$artifacts" "Fuzz/crashers/$target"
    crashers=(Fuzz/crashers/"$target"/*)
    if [ -e "${crashers[0]}" ]; then
        echo "fuzz: $target: re-running ${#crashers[@]} kept crashers"
        "$build/fuzz-$target" -rss_limit_mb=2048 -timeout=20 "${crashers[@]}" >"$build/$target-crashers.log" 2>&1 \
            || { echo "fuzz: $target: a kept crasher fails again, see $build/$target-crashers.log"; status=1; continue; }
    fi
    dictionary=()
    [ -f "Fuzz/dictionaries/$target.dict" ] && dictionary=(-dict="Fuzz/dictionaries/$target.dict")
    echo "fuzz: $target for ${seconds}s (log: $build/$target.log)"
    if "$build/fuzz-$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" ${dictionary[@]} \
        "$corpus" "Fuzz/corpus/$target" >"$build/$target.log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+DONE|^Done|stat::peak_rss_mb' "$build/$target.log" | sed "s/^/fuzz: $target: /"
    else
        echo "fuzz: $target: FAILED; the input is in $artifacts/, the report in $build/$target.log"
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|deadly signal|timeout|out-of-memory' "$build/$target.log" | head -5
        status=1
    fi
done
exit $status
