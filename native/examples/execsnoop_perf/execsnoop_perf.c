// SPDX-License-Identifier: Apache-2.0
/*
 * execsnoop_perf guest: execsnoop over a perf event array instead of a ring buffer. The guest code is execsnoop's:
 * wasm_bpf_buffer_poll serves both map types; only the embedded object differs.
 *
 * Usage: execsnoop_perf [-p ppid]
 *   -p  report only processes whose parent is this process (tgid); default every process
 *
 * Output (stable: tests parse it):
 *   execsnoop_perf: tracing exec() calls
 *   exec pid=<pid> ppid=<ppid> uid=<uid> comm=<comm> filename=<filename>    one line per exec
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "execsnoop_perf.h"
#include "execsnoop_perf.bpf.obj.h"

static int print_event(void *ctx, void *data, size_t size)
{
	const struct exec_event *e = data;
	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("exec pid=%d ppid=%d uid=%u comm=%.*s filename=%.*s\n", e->pid, e->ppid, e->uid, TASK_COMM_LEN,
	       e->comm, FILENAME_LEN, e->filename);
	return 0;
}

int main(int argc, char **argv)
{
	int ppid = 0, opt;
	while ((opt = getopt(argc, argv, "p:")) != -1) {
		char *end;
		switch (opt) {
		case 'p':
			ppid = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || ppid <= 0) {
				fprintf(stderr, "execsnoop_perf: invalid ppid '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: execsnoop_perf [-p ppid]\n");
			return 2;
		}
	}
	int err = bpfwasm_set_rodata(execsnoop_perf_bpf_o, execsnoop_perf_bpf_o_len, "target_ppid", &ppid,
				     sizeof(ppid));
	if (err) {
		fprintf(stderr, "execsnoop_perf: set target_ppid: %s\n", strerror(-err));
		return 1;
	}
	uint64_t obj = wasm_load_bpf_object(execsnoop_perf_bpf_o, (int)execsnoop_perf_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "execsnoop_perf: failed to load the BPF object\n");
		return 1;
	}
	err = wasm_attach_bpf_program(obj, "handle_exec", NULL);
	if (err < 0) {
		fprintf(stderr, "execsnoop_perf: attach handle_exec: %s\n", strerror(-err));
		return 1;
	}
	int events = wasm_bpf_map_fd_by_name(obj, "events");
	if (events < 0) {
		fprintf(stderr, "execsnoop_perf: map events: %s\n", strerror(-events));
		return 1;
	}
	struct exec_event buf;
	/* The first poll opens the per-CPU perf buffers; the kernel drops perf samples until they exist (unlike a ring
	 * buffer, which queues them), so open them before announcing that tracing has started. */
	err = bpfwasm_poll(obj, events, print_event, NULL, &buf, sizeof(buf), 0);
	if (err < 0 && err != -EINTR) {
		fprintf(stderr, "execsnoop_perf: poll: %s\n", strerror(-err));
		return 1;
	}
	printf("execsnoop_perf: tracing exec() calls\n");
	for (;;) {
		err = bpfwasm_poll(obj, events, print_event, NULL, &buf, sizeof(buf), 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "execsnoop_perf: poll: %s\n", strerror(-err));
			break;
		}
	}
	wasm_close_bpf_object(obj);
	return 0;
}
