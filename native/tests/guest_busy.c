// SPDX-License-Identifier: Apache-2.0
/*
 * CPU guard scenarios; argv[1] picks one:
 *   spin      prints "spinning", then computes forever without calling the host
 *   callback  attaches guest_hostile's exec tracepoint, prints "ready", and spins forever inside the ring buffer
 *             callback of the first exec event
 *   waiting   blocks in a 1 s ring buffer poll, three times over, then exits 0 (waiting in the host is not busy)
 *   crossing  computes for argv[2] ms while reading the clock (a WASI import) every iteration, then exits 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bpfwasm.h"
#include "guest_hostile.bpf.obj.h"

static volatile unsigned long sink;

static void spin_forever(void)
{
	for (;;)
		sink++;
}

static int spin_in_callback(void *ctx, void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	printf("in callback\n");
	spin_forever();
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int poll_events(bpfwasm_sample_fn fn, int timeout_ms, int rounds)
{
	char buf[256];
	uint64_t obj = wasm_load_bpf_object(guest_hostile_bpf_o, (int)guest_hostile_bpf_o_len);
	if (!obj || wasm_attach_bpf_program(obj, "on_exec", NULL) < 0) {
		fprintf(stderr, "guest_busy: load or attach failed\n");
		return 1;
	}
	int ring = wasm_bpf_map_fd_by_name(obj, "events");
	printf("ready\n");
	for (int i = 0; i < rounds; i++) {
		int err = bpfwasm_poll(obj, ring, fn, NULL, buf, sizeof(buf), timeout_ms);
		if (err < 0) {
			fprintf(stderr, "guest_busy: poll failed: %d\n", err);
			return 1;
		}
	}
	wasm_close_bpf_object(obj);
	return 0;
}

static int ignore_event(void *ctx, void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "spin") == 0) {
		printf("spinning\n");
		spin_forever();
	}
	if (strcmp(mode, "callback") == 0)
		return poll_events(spin_in_callback, 1000, 1000000);
	if (strcmp(mode, "waiting") == 0) {
		int rc = poll_events(ignore_event, 1000, 3);
		printf("waited\n");
		return rc;
	}
	if (strcmp(mode, "crossing") == 0) {
		long long end = now_ms() + (argc > 2 ? atoll(argv[2]) : 1000);
		while (now_ms() < end)
			sink++;
		printf("crossed\n");
		return 0;
	}
	fprintf(stderr, "usage: guest_busy spin|callback|waiting|crossing [ms]\n");
	return 2;
}
