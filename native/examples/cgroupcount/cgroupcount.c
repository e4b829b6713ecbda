// SPDX-License-Identifier: Apache-2.0
/*
 * cgroupcount guest: counts the packets and bytes the sockets of one cgroup (v2) receive and send
 * (cgroupcount.bpf.c) and prints the totals every interval.
 *
 * Usage: cgroupcount [-i seconds] [-n reports] <cgroup directory>
 *   -i  seconds between reports (default 1)
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   e.g. cgroupcount /sys/fs/cgroup/unified/myservice
 *
 * Output (stable: tests parse it):
 *   cgroupcount: counting <cgroup directory>
 *   interval <k> ingress_packets=<n> ingress_bytes=<n> egress_packets=<n> egress_bytes=<n>   (totals since start)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "cgroupcount.h"
#include "cgroupcount.bpf.obj.h"

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "cgroupcount: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int interval = 1, reports = 0, opt;
	while ((opt = getopt(argc, argv, "i:n:")) != -1) {
		switch (opt) {
		case 'i': interval = parse_int(optarg, "interval", 1); break;
		case 'n': reports = parse_int(optarg, "count", 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	const char *cgroup = argv[optind];

	uint64_t obj = wasm_load_bpf_object(cgroupcount_bpf_o, (int)cgroupcount_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "cgroupcount: failed to load the BPF object\n");
		return 1;
	}
	static const char *const programs[] = { "count_ingress", "count_egress" };
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		int err = wasm_attach_bpf_program(obj, programs[i], cgroup);
		if (err < 0) {
			fprintf(stderr, "cgroupcount: attach %s to %s: %s\n", programs[i], cgroup, strerror(-err));
			wasm_close_bpf_object(obj);
			return 1;
		}
	}
	int counters = wasm_bpf_map_fd_by_name(obj, "counters");
	if (counters < 0) {
		fprintf(stderr, "cgroupcount: map counters: %s\n", strerror(-counters));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("cgroupcount: counting %s\n", cgroup);
	fflush(stdout);

	int status = 0;
	for (int k = 1; reports == 0 || k <= reports; k++) {
		sleep(interval);
		uint64_t v[COUNTER_COUNT];
		for (uint32_t i = 0; i < COUNTER_COUNT && status == 0; i++) {
			int err = bpfwasm_map_lookup(counters, &i, &v[i]);
			if (err < 0) {
				fprintf(stderr, "cgroupcount: map counters: %s\n", strerror(-err));
				status = 1;
			}
		}
		if (status)
			break;
		printf("interval %d ingress_packets=%llu ingress_bytes=%llu egress_packets=%llu egress_bytes=%llu\n", k,
		       (unsigned long long)v[COUNTER_INGRESS_PACKETS], (unsigned long long)v[COUNTER_INGRESS_BYTES],
		       (unsigned long long)v[COUNTER_EGRESS_PACKETS], (unsigned long long)v[COUNTER_EGRESS_BYTES]);
		fflush(stdout);
	}
	wasm_close_bpf_object(obj);
	return status;

usage:
	fprintf(stderr, "usage: cgroupcount [-i seconds] [-n reports] <cgroup directory>\n");
	return 2;
}
