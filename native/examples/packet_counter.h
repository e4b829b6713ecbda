/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest side shared by the examples that count packets at a network hook (xdpcount, tccount, cgroupcount): they
 * differ only in their BPF object. Parses [-i seconds] [-n reports] <target>, loads the embedded object, attaches
 * its programs to the target, prints "<name>: counting on <target>", then every interval the totals of the object's
 * "counters" array map: "interval <k> <counter>=<n> ...".
 */
#ifndef PACKET_COUNTER_H
#define PACKET_COUNTER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"

#define PACKET_COUNTER_MAX 8

struct packet_counter {
	const char *name;                /* the example's name: the first word of its messages */
	const char *target_syntax;       /* for the usage line, e.g. "<interface>[:ingress|:egress]" */
	const unsigned char *object;     /* the embedded BPF object */
	unsigned int object_len;
	const char *const *programs;     /* the programs attached to the target */
	int program_count;
	const char *const *counters;     /* names of the "counters" entries, in index order (at most 8) */
	int counter_count;
};

static int packet_counter_int(const struct packet_counter *pc, const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "%s: invalid %s '%s'\n", pc->name, what, s);
		exit(2);
	}
	return (int)v;
}

/* Prints one report; non-zero when the map cannot be read. */
static int packet_counter_report(const struct packet_counter *pc, int counters, int k)
{
	uint64_t values[PACKET_COUNTER_MAX];
	for (uint32_t i = 0; i < (uint32_t)pc->counter_count; i++) {
		int err = bpfwasm_map_lookup(counters, &i, &values[i]);
		if (err < 0) {
			fprintf(stderr, "%s: map counters: %s\n", pc->name, strerror(-err));
			return 1;
		}
	}
	printf("interval %d", k);
	for (int i = 0; i < pc->counter_count; i++)
		printf(" %s=%llu", pc->counters[i], (unsigned long long)values[i]);
	printf("\n");
	fflush(stdout);
	return 0;
}

static int packet_counter_main(const struct packet_counter *pc, int argc, char **argv)
{
	int interval = 1, reports = 0, opt;
	while ((opt = getopt(argc, argv, "i:n:")) != -1) {
		switch (opt) {
		case 'i': interval = packet_counter_int(pc, optarg, "interval", 1); break;
		case 'n': reports = packet_counter_int(pc, optarg, "count", 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || pc->counter_count > PACKET_COUNTER_MAX)
		goto usage;
	const char *target = argv[optind];

	uint64_t obj = wasm_load_bpf_object(pc->object, (int)pc->object_len);
	if (!obj) {
		fprintf(stderr, "%s: failed to load the BPF object\n", pc->name);
		return 1;
	}
	for (int i = 0; i < pc->program_count; i++) {
		int err = wasm_attach_bpf_program(obj, pc->programs[i], target);
		if (err < 0) {
			fprintf(stderr, "%s: attach %s to %s: %s\n", pc->name, pc->programs[i], target, strerror(-err));
			wasm_close_bpf_object(obj);
			return 1;
		}
	}
	int counters = wasm_bpf_map_fd_by_name(obj, "counters");
	if (counters < 0) {
		fprintf(stderr, "%s: map counters: %s\n", pc->name, strerror(-counters));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("%s: counting on %s\n", pc->name, target);
	fflush(stdout);

	int status = 0;
	for (int k = 1; status == 0 && (reports == 0 || k <= reports); k++) {
		sleep(interval);
		status = packet_counter_report(pc, counters, k);
	}
	wasm_close_bpf_object(obj);
	return status;

usage:
	fprintf(stderr, "usage: %s [-i seconds] [-n reports] %s\n", pc->name, pc->target_syntax);
	return 2;
}

#endif
