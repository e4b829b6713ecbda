#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side ring buffer benchmark: the C libbpf baseline (build/host/ringbench) and the Wasm guest
# (build/ringbench_guest.wasm) run by a runtime command, on the same BPF object and the same C event source.
#
# Usage: bench/run.sh [-N events] [-r rounds] [-s ring_bytes] [-- runtime command...]
#   default runtime command: java --enable-native-access=ALL-UNNAMED -jar ../node-agent/target/bpfwasm.jar run
# Prints the "c ..." and "wasm ..." lines of every round (drain, burst, lookup); compare the later rounds (JIT warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
n=1000000 rounds=5 ring=$((32 * 1024 * 1024))
while [ $# -gt 0 ]; do
	case "$1" in
	-N) n=$2; shift 2 ;;
	-r) rounds=$2; shift 2 ;;
	-s) ring=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "usage: bench/run.sh [-N events] [-r rounds] [-s ring_bytes] [-- runtime command...]" >&2; exit 2 ;;
	esac
done
if [ $# -gt 0 ]; then runtime=("$@")
else runtime=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --enable-native-access=ALL-UNNAMED
	-jar ../node-agent/target/bpfwasm.jar run); fi

# Runs the guest in one mode; each "ready" it prints makes the trigger issue n getppid() calls.
wasm_mode() {
	local mode=$1; shift
	coproc TRIGGER { build/host/ringbench_trigger; }
	local pid
	read -r _ pid <&"${TRIGGER[0]}"
	while IFS= read -r line; do
		if [ "$line" = ready ]; then
			echo "$n" >&"${TRIGGER[1]}"
			read -r _ _ <&"${TRIGGER[0]}"
		else
			echo "$line"
		fi
	done < <("${runtime[@]}" build/ringbench_guest.wasm -- "$mode" -N "$n" -p "$pid" -s "$ring" -r "$rounds" "$@")
	exec {TRIGGER[1]}>&-
	wait "$TRIGGER_PID" 2>/dev/null || true
}

for mode in drain burst lookup; do
	build/host/ringbench "$mode" -N "$n" -s "$ring" -r "$rounds"
	wasm_mode "$mode"
done
