// SPDX-License-Identifier: Apache-2.0
/*
 * opensnoop guest: prints one line per openat() reported by opensnoop.bpf.c.
 *
 * Usage: opensnoop [-p pid] [-x] [-n events]
 *   -p  report only this process (tgid); default every process
 *   -x  report only failed opens
 *   -n  exit after this many events (default 0 = run until stopped)
 *
 * Output (stable: tests parse it):
 *   opensnoop: tracing openat() calls
 *   open pid=<pid> tid=<tid> uid=<uid> ret=<fd or -errno> flags=0x<hex> comm=<comm> filename=<path>
 * ret and flags are the kernel's (Linux) values: e.g. ret=-2 is ENOENT, flags=0x241 is O_WRONLY|O_CREAT|O_TRUNC.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "opensnoop.h"
#include "opensnoop.bpf.obj.h"

static long printed;

static int print_event(void *ctx, void *data, size_t size)
{
	const struct open_event *e = data;
	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("open pid=%d tid=%d uid=%u ret=%d flags=0x%x comm=%.*s filename=%.*s\n", e->pid, e->tid, e->uid, e->ret,
	       (unsigned int)e->flags, TASK_COMM_LEN, e->comm, FILENAME_LEN, e->filename);
	printed++;
	return 0;
}

static int parse_int(const char *s, const char *what, int min)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > 0x7fffffff) {
		fprintf(stderr, "opensnoop: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return (int)v;
}

/* Sets one `const volatile` global of the embedded object. */
static int configure(const char *name, int value)
{
	int err = bpfwasm_set_rodata(opensnoop_bpf_o, opensnoop_bpf_o_len, name, &value, sizeof(value));
	if (err)
		fprintf(stderr, "opensnoop: set %s: %s\n", name, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	int pid = 0, failed_only = 0, limit = 0, opt;
	while ((opt = getopt(argc, argv, "p:xn:")) != -1) {
		switch (opt) {
		case 'p': pid = parse_int(optarg, "pid", 1); break;
		case 'x': failed_only = 1; break;
		case 'n': limit = parse_int(optarg, "count", 0); break;
		default:
			fprintf(stderr, "usage: opensnoop [-p pid] [-x] [-n events]\n");
			return 2;
		}
	}
	if (configure("target_tgid", pid) || configure("failed_only", failed_only))
		return 1;

	uint64_t obj = wasm_load_bpf_object(opensnoop_bpf_o, (int)opensnoop_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "opensnoop: failed to load the BPF object\n");
		return 1;
	}
	static const char *const programs[] = { "on_openat_enter", "on_openat_exit" };
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		int err = wasm_attach_bpf_program(obj, programs[i], NULL);
		if (err < 0) {
			fprintf(stderr, "opensnoop: attach %s: %s\n", programs[i], strerror(-err));
			wasm_close_bpf_object(obj);
			return 1;
		}
	}
	int events = wasm_bpf_map_fd_by_name(obj, "events");
	if (events < 0) {
		fprintf(stderr, "opensnoop: map events: %s\n", strerror(-events));
		wasm_close_bpf_object(obj);
		return 1;
	}
	printf("opensnoop: tracing openat() calls\n");
	fflush(stdout);

	int status = 0;
	static struct open_event buf;
	while (limit == 0 || printed < limit) {
		int err = bpfwasm_poll(obj, events, print_event, NULL, &buf, sizeof(buf), 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "opensnoop: poll: %s\n", strerror(-err));
			status = 1;
			break;
		}
	}
	wasm_close_bpf_object(obj);
	return status;
}
