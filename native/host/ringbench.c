// SPDX-License-Identifier: Apache-2.0
/*
 * C baseline of the ring buffer benchmark: a plain libbpf consumer of bench/ringbench.bpf.c (embedded), the yardstick
 * for the same object consumed by a Wasm guest (bench/ringbench_guest.c). Needs root.
 *
 * Usage: ringbench <drain|burst|lookup> [-N count] [-s ring_bytes] [-W] [-r rounds]
 *   drain   trigger N events with nobody consuming, then time ring_buffer__consume draining them
 *   burst   a consumer thread polls while this thread triggers N events as fast as it can
 *   lookup  time N bpf_map_lookup_elem calls on one key of a hash map
 *   -N      events or lookups (default 1000000)
 *   -s      ring buffer size in bytes, a power of two (default 32 MiB, which holds 1e6 queued events)
 *   -W      submit with BPF_RB_NO_WAKEUP; the burst consumer then busy-loops ring_buffer__consume instead of polling
 *   -r      rounds (default 1), each with its own result line
 *
 * Output, one line per round (the guest's format, with "c" instead of "wasm"):
 *   c drain events=<n> ns_per_event=<x> dropped=<n> out_of_order=<n> polls=<consume calls it took> round=<k>
 *   c burst events=<n> delivered=<n> dropped=<n> events_per_s=<x> produce_per_s=<x> wakeup=<on|off> round=<k>
 *   c lookup ops=<n> ns_per_op=<x> round=<k>
 * events_per_s = delivered / (time of the last delivery - time of the first delivery), as in the guest.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfwasm_elf.h"
#include "ringbench.h"
#include "ringbench.bpf.obj.h"

struct consumer {
	unsigned long long received;     /* this round */
	unsigned long long out_of_order; /* this round: records whose seq is not the one after the previous record */
	unsigned long long next_seq;     /* across rounds */
	unsigned long long first_ns;     /* when the round's first record arrived */
	unsigned long long last_ns;      /* after the round's last poll/consume that delivered records */
};

struct bench {
	struct bpf_object *obj;
	struct bpf_link *link;
	struct ring_buffer *rb;
	int stats_fd;
	int lookup_fd;
	struct consumer consumer;
	atomic_int stop;
	int no_wakeup;
};

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "ringbench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
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
	/* Relaxed store: the burst benchmark's main thread reads the count while this callback runs. */
	__atomic_store_n(&c->received, c->received + 1, __ATOMIC_RELAXED);
	return 0;
}

static unsigned long long read_stat(struct bench *b, __u32 stat)
{
	__u64 value = 0;
	int err = bpf_map_lookup_elem(b->stats_fd, &stat, &value);
	if (err)
		die("map stats", err);
	return value;
}

/* Loads the embedded object configured for this process and attaches its program. */
static void bench_open(struct bench *b, unsigned int ring_bytes, int no_wakeup)
{
	int tgid = getpid(), err;
	/* The embedded bytes are patched exactly as a guest patches them. */
	err = bpfwasm_set_rodata(ringbench_bpf_o, ringbench_bpf_o_len, "target_tgid", &tgid, sizeof(tgid));
	if (!err)
		err = bpfwasm_set_rodata(ringbench_bpf_o, ringbench_bpf_o_len, "no_wakeup", &no_wakeup,
					 sizeof(no_wakeup));
	if (err)
		die("patch .rodata", err);
	b->no_wakeup = no_wakeup;
	b->obj = bpf_object__open_mem(ringbench_bpf_o, ringbench_bpf_o_len, NULL);
	if (!b->obj)
		die("open object", errno);
	struct bpf_map *events = bpf_object__find_map_by_name(b->obj, "events");
	err = bpf_map__set_max_entries(events, ring_bytes);
	if (err)
		die("map events: set size", err);
	err = bpf_object__load(b->obj);
	if (err)
		die("load object", err);
	b->link = bpf_program__attach(bpf_object__find_program_by_name(b->obj, "on_getppid"));
	if (!b->link)
		die("attach on_getppid", errno);
	b->stats_fd = bpf_object__find_map_fd_by_name(b->obj, "stats");
	b->lookup_fd = bpf_object__find_map_fd_by_name(b->obj, "lookup");
	/* Set up the consumer before any event, so its mmap and epoll setup are not timed. */
	b->rb = ring_buffer__new(bpf_map__fd(events), on_event, &b->consumer, NULL);
	if (!b->rb)
		die("map events: ring buffer", errno);
}

static void bench_close(struct bench *b)
{
	ring_buffer__free(b->rb);
	bpf_link__destroy(b->link);
	bpf_object__close(b->obj);
}

static void trigger(unsigned long long n)
{
	for (unsigned long long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

/* Starts a round: clears the per-round counts and returns the number of drops so far. */
static unsigned long long start_round(struct bench *b)
{
	struct consumer *c = &b->consumer;
	c->received = c->out_of_order = c->first_ns = c->last_ns = 0;
	atomic_store(&b->stop, 0);
	return read_stat(b, STAT_DROPPED);
}

static void run_drain(struct bench *b, unsigned long long n, int round)
{
	unsigned long long base_dropped = start_round(b), base_submitted = read_stat(b, STAT_SUBMITTED);
	trigger(n);
	unsigned long long submitted = read_stat(b, STAT_SUBMITTED) - base_submitted, polls = 0;
	unsigned long long start = now_ns();
	while (b->consumer.received < submitted) {
		polls++;
		int got = ring_buffer__consume(b->rb);
		if (got < 0)
			die("consume", got);
	}
	unsigned long long elapsed = now_ns() - start;
	printf("c drain events=%llu ns_per_event=%.1f dropped=%llu out_of_order=%llu polls=%llu round=%d\n",
	       b->consumer.received, (double)elapsed / b->consumer.received, read_stat(b, STAT_DROPPED) - base_dropped,
	       b->consumer.out_of_order, polls, round);
}

static void *consume_loop(void *arg)
{
	struct bench *b = arg;
	while (!atomic_load(&b->stop)) {
		int got = b->no_wakeup ? ring_buffer__consume(b->rb) : ring_buffer__poll(b->rb, 100);
		if (got > 0)
			b->consumer.last_ns = now_ns();
		else if (got < 0 && got != -EINTR)
			die("poll", got);
	}
	return NULL;
}

static void run_burst(struct bench *b, unsigned long long n, int round)
{
	unsigned long long base_dropped = start_round(b), dropped;
	pthread_t consumer;
	int err = pthread_create(&consumer, NULL, consume_loop, b);
	if (err)
		die("consumer thread", err);
	unsigned long long start = now_ns();
	trigger(n);
	unsigned long long produced_ns = now_ns() - start;
	/* Wait (at most 10 s) until every event is delivered or counted as dropped. */
	unsigned long long deadline = now_ns() + 10000000000ULL;
	while (__atomic_load_n(&b->consumer.received, __ATOMIC_RELAXED) + read_stat(b, STAT_DROPPED) - base_dropped < n &&
	       now_ns() < deadline)
		usleep(1000);
	atomic_store(&b->stop, 1);
	pthread_join(consumer, NULL);
	dropped = read_stat(b, STAT_DROPPED) - base_dropped;
	struct consumer *c = &b->consumer;
	double span = c->last_ns > c->first_ns ? (double)(c->last_ns - c->first_ns) : 1.0;
	printf("c burst events=%llu delivered=%llu dropped=%llu events_per_s=%.0f produce_per_s=%.0f wakeup=%s "
	       "round=%d\n",
	       n, c->received, dropped, c->received * 1e9 / span, n * 1e9 / produced_ns, b->no_wakeup ? "off" : "on",
	       round);
}

static void run_lookup(struct bench *b, unsigned long long n, int round)
{
	__u32 key = LOOKUP_KEY;
	__u64 value = 42;
	int err = bpf_map_update_elem(b->lookup_fd, &key, &value, BPF_ANY);
	if (err)
		die("map lookup: update", err);
	for (int i = 0; i < 1000; i++) /* warm up */
		bpf_map_lookup_elem(b->lookup_fd, &key, &value);
	unsigned long long start = now_ns();
	for (unsigned long long i = 0; i < n; i++) {
		err = bpf_map_lookup_elem(b->lookup_fd, &key, &value);
		if (err)
			die("map lookup", err);
	}
	unsigned long long elapsed = now_ns() - start;
	printf("c lookup ops=%llu ns_per_op=%.1f round=%d\n", n, (double)elapsed / n, round);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ringbench <drain|burst|lookup> [-N count] [-s ring_bytes] [-W] [-r rounds]\n");
		return 2;
	}
	const char *mode = argv[1];
	unsigned long long n = 1000000;
	unsigned int ring_bytes = RING_DEFAULT_BYTES;
	int no_wakeup = 0, rounds = 1, opt;
	optind = 2;
	while ((opt = getopt(argc, argv, "N:s:Wr:")) != -1) {
		switch (opt) {
		case 'N': n = strtoull(optarg, NULL, 10); break;
		case 's': ring_bytes = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'W': no_wakeup = 1; break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: ringbench <drain|burst|lookup> [-N count] [-s ring_bytes] [-W] [-r rounds]\n");
			return 2;
		}
	}
	if (n == 0 || rounds <= 0) {
		fprintf(stderr, "ringbench: -N and -r must be positive\n");
		return 2;
	}

	if (strcmp(mode, "drain") != 0 && strcmp(mode, "burst") != 0 && strcmp(mode, "lookup") != 0) {
		fprintf(stderr, "ringbench: unknown mode '%s' (drain, burst or lookup)\n", mode);
		return 2;
	}
	static struct bench b;
	bench_open(&b, ring_bytes, no_wakeup);
	for (int round = 1; round <= rounds; round++) {
		if (strcmp(mode, "drain") == 0)
			run_drain(&b, n, round);
		else if (strcmp(mode, "burst") == 0)
			run_burst(&b, n, round);
		else
			run_lookup(&b, n, round);
		fflush(stdout);
	}
	bench_close(&b);
	return 0;
}
