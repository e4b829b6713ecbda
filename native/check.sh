#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks the C side on the real kernel without a Wasm runtime (`make -C native check`, as root): the .rodata/BTF
# patch helpers, and each example's guest logic linked natively against sdk/native_host.c, driven by a workload
# whose effect the guest must report. Exits non-zero at the first failed check.
set -euo pipefail
cd "$(dirname "$0")"
B=build
failures=0

pass() { echo "  ok    $1"; }
fail() { echo "  FAIL  $1"; failures=$((failures + 1)); }

out=$(mktemp)
scratch=$(mktemp -d)
cleanup() { rm -rf "$out" "$scratch"; }
trap cleanup EXIT
# Runs a guest (stdout line-buffered) for at most $1 seconds; its output goes to $out.
run() { local secs=$1; shift; timeout "$secs" stdbuf -oL "$@" >"$out" 2>&1 || true; }
# Starts a guest in the background the same way and returns once it printed its first line (it is attached).
start() {
	local secs=$1; shift
	: >"$out"
	timeout "$secs" stdbuf -oL "$@" >"$out" 2>&1 &
	guest=$!
	for _ in $(seq 100); do [ -s "$out" ] && return 0; sleep 0.1; done
}
finish() { wait "$guest" || true; }

echo "bpfwasm_elf_check"
if $B/host/bpfwasm_elf_check >"$out" 2>&1; then pass "$(tail -1 "$out")"; else cat "$out"; fail "bpfwasm_elf_check"; fi

echo "execsnoop: a child of a known parent"
mkfifo "$scratch/go"
sh -c "read x < $scratch/go; $B/host/uprobe_target 0 0 >/dev/null; true" & parent=$!
start 3 $B/native/execsnoop -p "$parent"
echo go >"$scratch/go"
finish
if grep -q "^exec pid=[0-9]* ppid=$parent uid=0 comm=uprobe_target filename=$B/host/uprobe_target$" "$out" \
   && ! grep -v "ppid=$parent" "$out" | grep -q "^exec "; then pass "exec reported, filter by ppid holds"
else cat "$out"; fail "execsnoop"; fi
wait

echo "execsnoop_perf: the same through a perf event array"
sh -c "read x < $scratch/go; /bin/true; true" & parent=$!
start 3 $B/native/execsnoop_perf -p "$parent"
echo go >"$scratch/go"
finish
if grep -q "^exec pid=[0-9]* ppid=$parent uid=0 comm=true filename=/bin/true$" "$out"; then pass "exec reported"
else cat "$out"; fail "execsnoop_perf"; fi
wait

echo "syscount: getppid() 5000 times"
python3 -c "import os; open('$scratch/go').read(); [os.getppid() for _ in range(5000)]" & pid=$!
start 8 $B/native/syscount -p "$pid" -n 3 -i 1
echo go >"$scratch/go"
finish
count=$(grep -o '^syscall nr=110 name=getppid count=[0-9]*' "$out" | tail -1 | sed 's/.*count=//')
if [ "${count:-0}" -ge 5000 ]; then pass "count=$count"; else cat "$out"; fail "syscount count=${count:-none}"; fi
wait

echo "runqlat: non-empty histogram"
run 5 $B/native/runqlat -n 1 -i 1
total=$(sed -n 's/^interval 1 total=//p' "$out")
if [ "${total:-0}" -gt 0 ] && grep -q ' -> .*: [0-9]' "$out"; then pass "total=$total"; else cat "$out"; fail "runqlat"; fi

echo "opensnoop: a file that does not exist"
name="$scratch/bpfwasm-check-$$"
start 3 $B/native/opensnoop -x
cat "$name" 2>/dev/null || true
finish
if grep -q "^open pid=[0-9]* tid=[0-9]* uid=0 ret=-2 flags=0x[0-9a-f]* comm=cat filename=$name$" "$out"; then
	pass "failed open reported"
else cat "$out"; fail "opensnoop"; fi
wait

echo "uprobe: 5 calls of bpfwasm_target_add"
start 6 $B/native/uprobe -n 5 "$PWD/$B/host/uprobe_target:bpfwasm_target_add"
$B/host/uprobe_target 5 10 >/dev/null & pid=$!
wait $pid
finish
if [ "$(grep -c "^call pid=$pid tid=$pid arg0=\([0-9]*\) arg1=[0-9]* ret=[0-9]* duration_ns=" "$out")" -eq 5 ] \
   && grep -q "arg0=5 arg1=10 ret=15 " "$out"; then pass "5 calls with arguments and results"
else cat "$out"; fail "uprobe"; fi
wait

echo "xdpcount: packets into a veth end"
ns=bwcheck$$
ip netns add $ns
ip link add bwc$$a type veth peer name bwc$$b
ip link set bwc$$b netns $ns
ip link set bwc$$a up
ip netns exec $ns ip addr add 10.213.9.2/24 dev bwc$$b
ip netns exec $ns ip link set bwc$$b up
start 6 $B/native/xdpcount -n 3 bwc$$a
ip netns exec $ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(20): s.sendto(b"x" * 64, ("10.213.9.255", 9))'
finish
packets=$(sed -n 's/^interval 3 packets=\([0-9]*\) .*/\1/p' "$out")
attached=$(ip link show bwc$$a | grep -c xdp || true)
ip link del bwc$$a; ip netns del $ns
if [ "${packets:-0}" -ge 20 ] && [ "$attached" -eq 0 ]; then pass "packets=$packets, detached after exit"
else cat "$out"; fail "xdpcount packets=${packets:-none}"; fi

echo "tccount: packets into a veth end, at tc ingress"
ns=bwcheckt$$
ip netns add $ns
ip link add bwt$$a type veth peer name bwt$$b
ip link set bwt$$b netns $ns
ip link set bwt$$a up
ip netns exec $ns ip addr add 10.213.8.2/24 dev bwt$$b
ip netns exec $ns ip link set bwt$$b up
start 6 $B/native/tccount -n 3 bwt$$a:ingress
ip netns exec $ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(20): s.sendto(b"x" * 64, ("10.213.8.255", 9))'
finish
packets=$(sed -n 's/^interval 3 packets=\([0-9]*\) .*/\1/p' "$out")
qdisc=$(tc qdisc show dev bwt$$a | grep -c clsact || true)
ip link del bwt$$a; ip netns del $ns
if [ "${packets:-0}" -ge 20 ] && [ "$qdisc" -eq 0 ]; then pass "packets=$packets, no clsact qdisc left after exit"
else cat "$out"; fail "tccount packets=${packets:-none}"; fi

echo "cgroupcount: UDP on loopback from a process in a new cgroup"
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg="$cgroot/bwcheck$$"
mkdir "$cg"
start 6 $B/native/cgroupcount -n 3 "$cg"
sh -c "echo \$\$ > $cg/cgroup.procs; exec python3 -c '
import socket
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind((\"127.0.0.1\", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(10): s.sendto(b\"x\" * 100, r.getsockname()); r.recv(200)'"
finish
rmdir "$cg"
if grep -q "^interval 3 ingress_packets=10 ingress_bytes=1280 egress_packets=10 egress_bytes=1280$" "$out"; then
	pass "10 packets each way"
else cat "$out"; fail "cgroupcount"; fi

echo "ringbench: the C baseline drains 1e5 events in order"
run 60 $B/host/ringbench drain -N 100000
if grep -q "^c drain events=100000 ns_per_event=[0-9.]* dropped=0 out_of_order=0 polls=1 round=1$" "$out"; then
	pass "$(cat "$out")"
else cat "$out"; fail "ringbench drain"; fi

if [ $failures -ne 0 ]; then echo "check: $failures failed"; exit 1; fi
echo "check: all passed"
