// SPDX-License-Identifier: Apache-2.0
/*
 * uprobe guest: traces calls of one user-space function (uprobe.bpf.c), attached by target string.
 *
 * Usage: uprobe [-p pid] [-n calls] <binary>:<function>
 *   -p  trace only this process (tgid); default every process that runs the binary
 *   -n  exit after this many calls (default 0 = run until stopped)
 *   e.g. uprobe -n 10 /path/to/build/host/uprobe_target:bpfwasm_target_add
 *
 * Output (stable: tests parse it):
 *   uprobe: tracing <binary>:<function>
 *   call pid=<pid> tid=<tid> arg0=<n> arg1=<n> ret=<n> duration_ns=<n>
 * arg0, arg1 and ret are the raw 64-bit registers (first two integer arguments, return value).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "uprobe.h"
#include "uprobe.bpf.obj.h"

static long printed;

static int print_call(void *ctx, void *data, size_t size)
{
	const struct call_event *e = data;
	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("call pid=%d tid=%d arg0=%lld arg1=%lld ret=%lld duration_ns=%llu\n", e->pid, e->tid, e->arg0, e->arg1,
	       e->ret, e->duration_ns);
	printed++;
	return 0;
}

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "uprobe: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int pid = 0, limit = 0, opt;
	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		switch (opt) {
		case 'p': pid = parse_int(optarg, "pid", 1); break;
		case 'n': limit = parse_int(optarg, "count", 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || !strchr(argv[optind], ':'))
		goto usage;
	const char *target = argv[optind];

	int err = bpfwasm_set_rodata(uprobe_bpf_o, uprobe_bpf_o_len, "target_tgid", &pid, sizeof(pid));
	if (err) {
		fprintf(stderr, "uprobe: set target_tgid: %s\n", strerror(-err));
		return 1;
	}
	uint64_t obj = wasm_load_bpf_object(uprobe_bpf_o, (int)uprobe_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "uprobe: failed to load the BPF object\n");
		return 1;
	}
	static const char *const programs[] = { "on_call", "on_return" };
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		err = wasm_attach_bpf_program(obj, programs[i], target);
		if (err < 0) {
			fprintf(stderr, "uprobe: attach %s to %s: %s\n", programs[i], target, strerror(-err));
			wasm_close_bpf_object(obj);
			return 1;
		}
	}
	int events = wasm_bpf_map_fd_by_name(obj, "events");
	if (events < 0) {
		fprintf(stderr, "uprobe: map events: %s\n", strerror(-events));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("uprobe: tracing %s\n", target);
	fflush(stdout);

	int status = 0;
	static struct call_event buf;
	while (limit == 0 || printed < limit) {
		err = bpfwasm_poll(obj, events, print_call, NULL, &buf, sizeof(buf), 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "uprobe: poll: %s\n", strerror(-err));
			status = 1;
			break;
		}
	}
	wasm_close_bpf_object(obj);
	return status;

usage:
	fprintf(stderr, "usage: uprobe [-p pid] [-n calls] <binary>:<function>\n");
	return 2;
}
