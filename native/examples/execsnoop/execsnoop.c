// SPDX-License-Identifier: Apache-2.0
/* execsnoop guest: prints one line per exec reported by execsnoop.bpf.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bpfwasm.h"
#include "execsnoop.h"
#include "execsnoop.bpf.obj.h"

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
	(void)argc;
	(void)argv;
	uint64_t obj = wasm_load_bpf_object(execsnoop_bpf_o, (int)execsnoop_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "execsnoop: failed to load the BPF object\n");
		return 1;
	}
	int err = wasm_attach_bpf_program(obj, "handle_exec", NULL);
	if (err < 0) {
		fprintf(stderr, "execsnoop: attach handle_exec: %s\n", strerror(-err));
		return 1;
	}
	int events = wasm_bpf_map_fd_by_name(obj, "events");
	if (events < 0) {
		fprintf(stderr, "execsnoop: map events: %s\n", strerror(-events));
		return 1;
	}
	printf("execsnoop: tracing exec() calls\n");
	struct exec_event buf;
	for (;;) {
		err = bpfwasm_poll(obj, events, print_event, NULL, &buf, sizeof(buf), 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "execsnoop: poll: %s\n", strerror(-err));
			break;
		}
	}
	wasm_close_bpf_object(obj);
	return 0;
}
