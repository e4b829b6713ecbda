// SPDX-License-Identifier: Apache-2.0
/*
 * Attaches guest_uprobe_section.bpf.c's uprobe with no target (the section names binary and function), then waits
 * until it has counted <calls> calls, at most 30 s.
 *
 * Usage: guest_uprobe_section <calls>
 * Output: "attached" once attached, then "calls=<n>" and exit 0 when n >= <calls>; exit 1 on an error or timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "guest_uprobe_section.bpf.obj.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: guest_uprobe_section <calls>\n");
		return 2;
	}
	uint64_t wanted = strtoull(argv[1], NULL, 10);
	uint64_t obj = wasm_load_bpf_object(guest_uprobe_section_bpf_o, (int)guest_uprobe_section_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "guest_uprobe_section: failed to load the BPF object\n");
		return 1;
	}
	int err = wasm_attach_bpf_program(obj, "on_add", NULL);
	if (err < 0) {
		fprintf(stderr, "guest_uprobe_section: attach on_add: %s\n", strerror(-err));
		wasm_close_bpf_object(obj);
		return 1;
	}
	int calls = wasm_bpf_map_fd_by_name(obj, "calls");
	printf("attached\n");
	fflush(stdout);

	uint32_t zero = 0;
	uint64_t count = 0;
	for (int waited_ms = 0; waited_ms < 30000 && count < wanted; waited_ms += 50) {
		usleep(50 * 1000);
		err = bpfwasm_map_lookup(calls, &zero, &count);
		if (err < 0) {
			fprintf(stderr, "guest_uprobe_section: map calls: %s\n", strerror(-err));
			break;
		}
	}
	printf("calls=%llu\n", (unsigned long long)count);
	wasm_close_bpf_object(obj);
	return count >= wanted ? 0 : 1;
}
