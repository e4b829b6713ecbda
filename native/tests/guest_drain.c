// SPDX-License-Identifier: Apache-2.0
/*
 * Drain measurement: attaches bpf_ringbench (one 16-byte record per getpid() of process argv[1], submitted without
 * wakeup), waits until argv[2] records are queued, then drains them all through wasm_bpf_buffer_poll and prints
 * the count, sequence errors and ns per record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpf_ringbench.h"
#include "bpf_ringbench.bpf.obj.h"

struct state {
	unsigned long long next_seq;
	unsigned long long count;
	unsigned long long bad;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct state *s = ctx;
	const struct ringbench_event *e = data;
	if (size != sizeof(*e) || e->seq != s->next_seq)
		s->bad++;
	s->next_seq = e->seq + 1;
	s->count++;
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: guest_drain <tgid> <count>\n");
		return 2;
	}
	unsigned int tgid = (unsigned int)atoi(argv[1]);
	unsigned long long want = strtoull(argv[2], NULL, 10);
	uint64_t obj = wasm_load_bpf_object(bpf_ringbench_bpf_o, (int)bpf_ringbench_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "guest_drain: load failed\n");
		return 1;
	}
	int params = wasm_bpf_map_fd_by_name(obj, "params");
	int stats = wasm_bpf_map_fd_by_name(obj, "stats");
	int ring = wasm_bpf_map_fd_by_name(obj, "records");
	unsigned int k0 = 0, k1 = 1, no_wakeup = 1;
	if (bpfwasm_map_update(params, &k0, &tgid, BPFWASM_ANY) || bpfwasm_map_update(params, &k1, &no_wakeup, 0) ||
	    wasm_attach_bpf_program(obj, "on_getpid", NULL)) {
		fprintf(stderr, "guest_drain: setup failed\n");
		return 1;
	}
	printf("ready\n");
	unsigned long long submitted = 0, dropped = 0;
	while (submitted < want) {
		usleep(10000);
		if (bpfwasm_map_lookup(stats, &k0, &submitted))
			return 1;
	}
	struct state s = {0};
	struct ringbench_event buf;
	long long start = now_ns();
	while (s.count < want) {
		int rc = bpfwasm_poll(obj, ring, on_record, &s, &buf, sizeof(buf), 0);
		if (rc < 0) {
			fprintf(stderr, "guest_drain: poll: %d\n", rc);
			return 1;
		}
	}
	long long elapsed = now_ns() - start;
	bpfwasm_map_lookup(stats, &k1, &dropped);
	printf("drained=%llu bad=%llu dropped=%llu ns_per_event=%.1f\n", s.count, s.bad, dropped,
	       (double)elapsed / (double)s.count);
	wasm_close_bpf_object(obj);
	return 0;
}
