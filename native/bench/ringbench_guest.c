// SPDX-License-Identifier: Apache-2.0
/*
 * Wasm side of the ring buffer benchmark: consumes bench/ringbench.bpf.c through the wasm_bpf imports, like the C
 * baseline host/ringbench.c. A guest cannot make system calls, so the harness (the host process) triggers the events:
 * it starts the guest with -p <its own pid>, waits for the line "ready", then calls getppid() N times; with -r R it
 * does that R times (one "ready" per round), so later rounds show the runtime warmed up (JIT).
 *
 * Usage: ringbench_guest <drain|burst|lookup> [-N count] [-p tgid] [-s ring_bytes] [-W] [-t timeout_ms] [-r rounds]
 *   drain   wait until the BPF side has submitted N events (nobody consuming), then time draining them
 *   burst   poll while the harness triggers N events as fast as it can
 *   lookup  time N map lookups of one key (no harness action needed)
 *   -N      events or lookups (default 1000000)
 *   -p      the process whose getppid() calls produce events (required for drain and burst)
 *   -s      ring buffer size in bytes, a power of two (default 32 MiB, which holds 1e6 queued events)
 *   -W      submit with BPF_RB_NO_WAKEUP and poll with timeout 0 (needs a runtime that reads the ring without
 *           waiting for a wakeup; with libbpf's epoll-based poll nothing would arrive)
 *   -t      give up after this long without progress (default 30000 ms)
 *   -r      rounds (default 1); each prints its own result line
 *
 * Output:
 *   ready                                                          the harness may trigger now (drain, burst)
 *   wasm drain events=<n> ns_per_event=<x> dropped=<n> out_of_order=<n> polls=<poll calls it took> round=<k>
 *   wasm burst events=<n> delivered=<n> dropped=<n> events_per_s=<x> wakeup=<on|off> round=<k>
 *   wasm lookup ops=<n> ns_per_op=<x> round=<k>
 *   ringbench_guest: timeout ...                                   on stderr, exit code 1
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bpfwasm.h"
#include "bpfwasm_elf.h"
#include "ringbench.h"
#include "ringbench.bpf.obj.h"

struct consumer {
	unsigned long long received;     /* this round */
	unsigned long long out_of_order; /* this round: records whose seq is not the one after the previous record */
	unsigned long long next_seq;     /* across rounds */
	unsigned long long first_ns;     /* when the round's first record arrived */
	unsigned long long last_ns;      /* after the round's last poll that delivered records */
};

static uint64_t obj;
static int events_fd, stats_fd, lookup_fd;
static struct consumer consumer;
static struct ring_event sample_buf;

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void quit(int status)
{
	if (obj)
		wasm_close_bpf_object(obj);
	exit(status);
}

static void die(const char *what, int err)
{
	fprintf(stderr, "ringbench_guest: %s: %s\n", what, strerror(err < 0 ? -err : err));
	quit(1);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;
	const struct ring_event *e = data;
	if (c->received == 0)
		c->first_ns = now_ns();
	if (size < sizeof(*e) || e->seq != c->next_seq)
		c->out_of_order++;
	else
		c->next_seq++;
	c->received++;
	return 0;
}

static int poll_events(int timeout_ms)
{
	int got = bpfwasm_poll(obj, events_fd, on_event, &consumer, &sample_buf, sizeof(sample_buf), timeout_ms);
	if (got < 0 && got != -EINTR)
		die("map events: poll", got);
	return got;
}

static unsigned long long read_stat(uint32_t stat)
{
	uint64_t value = 0;
	int err = bpfwasm_map_lookup(stats_fd, &stat, &value);
	if (err)
		die("map stats", err);
	return value;
}

static void ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

/* Starts a round: clears the per-round counts, returns the stats so far, and tells the harness to trigger. */
static void start_round(unsigned long long *submitted, unsigned long long *dropped)
{
	consumer.received = consumer.out_of_order = consumer.first_ns = consumer.last_ns = 0;
	*submitted = read_stat(STAT_SUBMITTED);
	*dropped = read_stat(STAT_DROPPED);
	ready();
}

static void run_drain(unsigned long long n, int timeout_ms, int round)
{
	unsigned long long base_submitted, base_dropped;
	start_round(&base_submitted, &base_dropped);
	/* Wait, without consuming, until the harness has triggered every event. */
	unsigned long long waited_since = now_ns(), seen = 0, submitted, dropped;
	for (;;) {
		submitted = read_stat(STAT_SUBMITTED) - base_submitted;
		dropped = read_stat(STAT_DROPPED) - base_dropped;
		if (submitted + dropped >= n)
			break;
		if (submitted + dropped != seen) {
			seen = submitted + dropped;
			waited_since = now_ns();
		} else if (now_ns() - waited_since > timeout_ms * 1000000ULL) {
			fprintf(stderr, "ringbench_guest: timeout: %llu of %llu events produced\n", seen, n);
			quit(1);
		}
		usleep(1000);
	}
	unsigned long long polls = 0, start = now_ns();
	while (consumer.received < submitted) {
		polls++;
		if (poll_events(100) <= 0 && now_ns() - start > timeout_ms * 1000000ULL) {
			fprintf(stderr, "ringbench_guest: timeout: drained %llu of %llu events\n", consumer.received,
				submitted);
			quit(1);
		}
	}
	unsigned long long elapsed = now_ns() - start;
	printf("wasm drain events=%llu ns_per_event=%.1f dropped=%llu out_of_order=%llu polls=%llu round=%d\n",
	       consumer.received, (double)elapsed / consumer.received, dropped, consumer.out_of_order, polls, round);
	fflush(stdout);
}

static void run_burst(unsigned long long n, int no_wakeup, int timeout_ms, int round)
{
	unsigned long long base_submitted, base_dropped, dropped = 0;
	start_round(&base_submitted, &base_dropped);
	unsigned long long idle_since = now_ns();
	for (;;) {
		int got = poll_events(no_wakeup ? 0 : 100);
		if (got > 0) {
			consumer.last_ns = idle_since = now_ns();
			if (consumer.received >= n)
				break;
			continue;
		}
		dropped = read_stat(STAT_DROPPED) - base_dropped;
		if (consumer.received + dropped >= n)
			break;
		if (now_ns() - idle_since > timeout_ms * 1000000ULL) {
			fprintf(stderr, "ringbench_guest: timeout: %llu of %llu events delivered\n", consumer.received,
				n);
			quit(1);
		}
	}
	dropped = read_stat(STAT_DROPPED) - base_dropped;
	double span = consumer.last_ns > consumer.first_ns ? (double)(consumer.last_ns - consumer.first_ns) : 1.0;
	printf("wasm burst events=%llu delivered=%llu dropped=%llu events_per_s=%.0f wakeup=%s round=%d\n", n,
	       consumer.received, dropped, consumer.received * 1e9 / span, no_wakeup ? "off" : "on", round);
	fflush(stdout);
}

static void run_lookup(unsigned long long n, int round)
{
	uint32_t key = LOOKUP_KEY;
	uint64_t value = 42;
	int err = bpfwasm_map_update(lookup_fd, &key, &value, BPFWASM_ANY);
	if (err)
		die("map lookup: update", err);
	for (int i = 0; i < 1000; i++) /* warm up */
		bpfwasm_map_lookup(lookup_fd, &key, &value);
	unsigned long long start = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		err = bpfwasm_map_lookup(lookup_fd, &key, &value);
		if (err)
			die("map lookup", err);
	}
	unsigned long long elapsed = now_ns() - start;
	printf("wasm lookup ops=%llu ns_per_op=%.1f round=%d\n", n, (double)elapsed / n, round);
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: ringbench_guest <drain|burst|lookup> [-N count] [-p tgid] [-s ring_bytes] [-W] "
			"[-t timeout_ms] [-r rounds]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *mode = argv[1];
	unsigned long long n = 1000000;
	int tgid = 0, no_wakeup = 0, timeout_ms = 30000, rounds = 1, opt;
	unsigned int ring_bytes = RING_DEFAULT_BYTES;
	optind = 2;
	while ((opt = getopt(argc, argv, "N:p:s:Wt:r:")) != -1) {
		switch (opt) {
		case 'N': n = strtoull(optarg, NULL, 10); break;
		case 'p': tgid = atoi(optarg); break;
		case 's': ring_bytes = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'W': no_wakeup = 1; break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default: usage();
		}
	}
	int is_lookup = strcmp(mode, "lookup") == 0;
	if (!is_lookup && strcmp(mode, "drain") != 0 && strcmp(mode, "burst") != 0) {
		fprintf(stderr, "ringbench_guest: unknown mode '%s' (drain, burst or lookup)\n", mode);
		return 2;
	}
	if (n == 0 || timeout_ms <= 0 || rounds <= 0 || (!is_lookup && tgid <= 0)) {
		fprintf(stderr, "ringbench_guest: -N, -t and -r must be positive; drain and burst need -p <tgid>\n");
		return 2;
	}

	int err = bpfwasm_set_rodata(ringbench_bpf_o, ringbench_bpf_o_len, "target_tgid", &tgid, sizeof(tgid));
	if (!err)
		err = bpfwasm_set_rodata(ringbench_bpf_o, ringbench_bpf_o_len, "no_wakeup", &no_wakeup,
					 sizeof(no_wakeup));
	if (err)
		die("patch .rodata", err);
	err = bpfwasm_set_map_max_entries(ringbench_bpf_o, ringbench_bpf_o_len, "events", ring_bytes);
	if (err)
		die("map events: set size", err);
	obj = wasm_load_bpf_object(ringbench_bpf_o, (int)ringbench_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "ringbench_guest: failed to load the BPF object\n");
		return 1;
	}
	err = wasm_attach_bpf_program(obj, "on_getppid", NULL);
	if (err < 0)
		die("attach on_getppid", err);
	events_fd = wasm_bpf_map_fd_by_name(obj, "events");
	stats_fd = wasm_bpf_map_fd_by_name(obj, "stats");
	lookup_fd = wasm_bpf_map_fd_by_name(obj, "lookup");
	if (events_fd < 0 || stats_fd < 0 || lookup_fd < 0)
		die("map events/stats/lookup", events_fd < 0 ? events_fd : stats_fd < 0 ? stats_fd : lookup_fd);

	poll_events(0); /* sets up the host's consumer before any event, so that is not timed */
	for (int round = 1; round <= rounds; round++) {
		if (strcmp(mode, "drain") == 0)
			run_drain(n, timeout_ms, round);
		else if (strcmp(mode, "burst") == 0)
			run_burst(n, no_wakeup, timeout_ms, round);
		else
			run_lookup(n, round);
	}
	wasm_close_bpf_object(obj);
	return 0;
}
