// SPDX-License-Identifier: Apache-2.0
/*
 * runqlat guest: prints the run-queue latency histogram of runqlat.bpf.c every interval, like bcc's runqlat.
 *
 * Usage: runqlat [-i seconds] [-n intervals] [-p pid] [-c]
 *   -i  seconds between reports (default 1)
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   -p  measure only the threads of this process (tgid); default every process
 *   -c  cumulative: keep counting across reports (default: each report covers its own interval)
 *
 * Output (stable: tests parse it):
 *   runqlat: ready interval=<seconds>
 *        usecs               : count    distribution           header of each report
 *            0 -> 1          : 12       |*****     ...    |    one row per slot up to the highest non-empty one
 *   interval <k> total=<sum of the counts>                     ends report k (1, 2, ...)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "runqlat.h"
#include "runqlat.bpf.obj.h"

#define BAR_WIDTH 40

static void print_bar(uint64_t count, uint64_t max)
{
	int stars = max ? (int)(count * BAR_WIDTH / max) : 0;
	putchar('|');
	for (int i = 0; i < BAR_WIDTH; i++)
		putchar(i < stars ? '*' : ' ');
	putchar('|');
}

/* Prints one report from slots[]; returns the sum of the counts. */
static uint64_t print_histogram(const uint64_t *slots)
{
	int last = -1;
	uint64_t max = 0, total = 0;
	for (int i = 0; i < MAX_SLOTS; i++) {
		if (slots[i]) {
			last = i;
			total += slots[i];
		}
		if (slots[i] > max)
			max = slots[i];
	}
	printf("%10s%-14s : count    distribution\n", "usecs", "");
	for (int i = 0; i <= last; i++) {
		uint64_t low = i == 0 ? 0 : 1ULL << i;
		uint64_t high = (1ULL << (i + 1)) - 1;
		printf("%10llu -> %-10llu : %-8llu ", (unsigned long long)low, (unsigned long long)high,
		       (unsigned long long)slots[i]);
		print_bar(slots[i], max);
		putchar('\n');
	}
	return total;
}

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "runqlat: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int interval = 1, reports = 0, pid = 0, cumulative = 0, opt;
	while ((opt = getopt(argc, argv, "i:n:p:c")) != -1) {
		switch (opt) {
		case 'i': interval = parse_int(optarg, "interval", 1); break;
		case 'n': reports = parse_int(optarg, "count", 0); break;
		case 'p': pid = parse_int(optarg, "pid", 1); break;
		case 'c': cumulative = 1; break;
		default:
			fprintf(stderr, "usage: runqlat [-i seconds] [-n intervals] [-p pid] [-c]\n");
			return 2;
		}
	}

	int err = bpfwasm_set_rodata(runqlat_bpf_o, runqlat_bpf_o_len, "target_tgid", &pid, sizeof(pid));
	if (err) {
		fprintf(stderr, "runqlat: set target_tgid: %s\n", strerror(-err));
		return 1;
	}
	uint64_t obj = wasm_load_bpf_object(runqlat_bpf_o, (int)runqlat_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "runqlat: failed to load the BPF object\n");
		return 1;
	}
	static const char *const programs[] = { "on_wakeup", "on_wakeup_new", "on_switch" };
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		err = wasm_attach_bpf_program(obj, programs[i], NULL);
		if (err < 0) {
			fprintf(stderr, "runqlat: attach %s: %s\n", programs[i], strerror(-err));
			return 1;
		}
	}
	int hist = wasm_bpf_map_fd_by_name(obj, "hist");
	if (hist < 0) {
		fprintf(stderr, "runqlat: map hist: %s\n", strerror(-hist));
		return 1;
	}
	printf("runqlat: ready interval=%d\n", interval);
	fflush(stdout);

	int status = 0;
	for (int k = 1; reports == 0 || k <= reports; k++) {
		sleep(interval);
		uint64_t slots[MAX_SLOTS];
		for (uint32_t slot = 0; slot < MAX_SLOTS && status == 0; slot++) {
			err = bpfwasm_map_lookup(hist, &slot, &slots[slot]);
			if (err == 0 && !cumulative) {
				uint64_t zero = 0;
				err = bpfwasm_map_update(hist, &slot, &zero, BPFWASM_ANY);
			}
			if (err < 0) {
				fprintf(stderr, "runqlat: map hist: slot %u: %s\n", slot, strerror(-err));
				status = 1;
			}
		}
		if (status)
			break;
		uint64_t total = print_histogram(slots);
		printf("interval %d total=%llu\n", k, (unsigned long long)total);
		fflush(stdout);
	}
	wasm_close_bpf_object(obj);
	return status;
}
