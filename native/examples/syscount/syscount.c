// SPDX-License-Identifier: Apache-2.0
/*
 * syscount guest: counts system calls per syscall number (syscount.bpf.c) and prints the counts every interval.
 *
 * Usage: syscount [-i seconds] [-p pid] [-n intervals] [-r]
 *   -i  seconds between reports (default 1)
 *   -p  count only the calls of this process (tgid); default every process
 *   -n  exit after this many reports (default 0 = run until stopped)
 *   -r  reset the counts after each report (default: counts accumulate from the start)
 *
 * Output, one line per item, fields separated by single spaces (stable: tests parse it):
 *   syscount: ready pid=<pid or 0> interval=<seconds>
 *   syscall nr=<nr> name=<name or ?> count=<n>        one line per syscall seen, highest count first
 *   interval <k> syscalls=<lines above> total=<sum of their counts>   ends report k (1, 2, ...)
 * nr is the raw syscall number of the host architecture; name comes from the build machine's <sys/syscall.h>.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "syscount.h"
#include "syscount.bpf.obj.h"
#include "syscall_names.h"

struct syscall_count {
	uint32_t nr;
	uint64_t count;
};

static struct syscall_count entries[MAX_SYSCALLS];

static const char *syscall_name(uint32_t nr)
{
	if (nr < sizeof(syscall_names) / sizeof(syscall_names[0]) && syscall_names[nr])
		return syscall_names[nr];
	return "?";
}

static int by_count_desc(const void *a, const void *b)
{
	const struct syscall_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

struct reader {
	int counts_fd;
	int reset;
	int n;
};

static int read_entry(const void *key, void *ctx)
{
	struct reader *r = ctx;
	uint32_t nr = *(const uint32_t *)key;
	uint64_t count;
	if (r->n < MAX_SYSCALLS && bpfwasm_map_lookup(r->counts_fd, &nr, &count) == 0 && count > 0) {
		entries[r->n].nr = nr;
		entries[r->n].count = count;
		r->n++;
	}
	if (r->reset)
		bpfwasm_map_delete(r->counts_fd, &nr);
	return 0;
}

/* Reads every entry of the counts map into entries[]; returns how many, or a negative errno. */
static int read_counts(int counts_fd, int reset)
{
	struct reader r = { .counts_fd = counts_fd, .reset = reset };
	uint32_t key, next;
	int err = bpfwasm_map_for_each_key(counts_fd, &key, &next, sizeof(key), read_entry, &r);
	return err < 0 ? err : r.n;
}

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "syscount: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int interval = 1, pid = 0, reports = 0, reset = 0, opt;
	while ((opt = getopt(argc, argv, "i:p:n:r")) != -1) {
		switch (opt) {
		case 'i': interval = parse_int(optarg, "interval", 1); break;
		case 'p': pid = parse_int(optarg, "pid", 1); break;
		case 'n': reports = parse_int(optarg, "count", 0); break;
		case 'r': reset = 1; break;
		default:
			fprintf(stderr, "usage: syscount [-i seconds] [-p pid] [-n intervals] [-r]\n");
			return 2;
		}
	}

	int err = bpfwasm_set_rodata(syscount_bpf_o, syscount_bpf_o_len, "target_tgid", &pid, sizeof(pid));
	if (err) {
		fprintf(stderr, "syscount: set target_tgid: %s\n", strerror(-err));
		return 1;
	}
	uint64_t obj = wasm_load_bpf_object(syscount_bpf_o, (int)syscount_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "syscount: failed to load the BPF object\n");
		return 1;
	}
	err = wasm_attach_bpf_program(obj, "count_sys_enter", NULL);
	if (err < 0) {
		fprintf(stderr, "syscount: attach count_sys_enter: %s\n", strerror(-err));
		return 1;
	}
	int counts = wasm_bpf_map_fd_by_name(obj, "counts");
	if (counts < 0) {
		fprintf(stderr, "syscount: map counts: %s\n", strerror(-counts));
		return 1;
	}
	printf("syscount: ready pid=%d interval=%d\n", pid, interval);
	fflush(stdout);

	int status = 0;
	for (int k = 1; reports == 0 || k <= reports; k++) {
		sleep(interval);
		int n = read_counts(counts, reset);
		if (n < 0) {
			fprintf(stderr, "syscount: map counts: %s\n", strerror(-n));
			status = 1;
			break;
		}
		qsort(entries, n, sizeof(entries[0]), by_count_desc);
		uint64_t total = 0;
		for (int i = 0; i < n; i++) {
			printf("syscall nr=%u name=%s count=%llu\n", entries[i].nr, syscall_name(entries[i].nr),
			       (unsigned long long)entries[i].count);
			total += entries[i].count;
		}
		printf("interval %d syscalls=%d total=%llu\n", k, n, (unsigned long long)total);
		fflush(stdout);
	}
	wasm_close_bpf_object(obj);
	return status;
}
