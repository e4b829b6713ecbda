// SPDX-License-Identifier: Apache-2.0
/*
 * Calls every wasm_bpf import with hostile arguments and prints "case=result" per call, so a test can check the
 * host answers each with the right negative WASI errno and survives. argv[1] picks the scenario:
 *   load | handles | names | map | poll | deliver <n> | block | trap | leave
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bpfwasm.h"
#include "guest_hostile.bpf.obj.h"

#define SHOW(name, expr) printf("%s=%lld\n", name, (long long)(expr))

static char *memory_end(void)
{
	return (char *)(__builtin_wasm_memory_size(0) * 65536UL);
}

static uint64_t load(void)
{
	uint64_t obj = wasm_load_bpf_object(guest_hostile_bpf_o, (int)guest_hostile_bpf_o_len);
	if (!obj) {
		printf("load=failed\n");
		exit(1);
	}
	return obj;
}

static void scenario_load(void)
{
	static char garbage[256];
	memset(garbage, 'A', sizeof(garbage));
	SHOW("beyond_memory", wasm_load_bpf_object((void *)0xFFFFFF00u, 100));
	SHOW("negative_length", wasm_load_bpf_object(guest_hostile_bpf_o, -1));
	SHOW("crossing_end", wasm_load_bpf_object(memory_end() - 10, 100));
	SHOW("garbage", wasm_load_bpf_object(garbage, sizeof(garbage)));
	SHOW("truncated", wasm_load_bpf_object(guest_hostile_bpf_o, (int)guest_hostile_bpf_o_len / 2));
	SHOW("empty", wasm_load_bpf_object(guest_hostile_bpf_o, 0));
	SHOW("valid", wasm_load_bpf_object(guest_hostile_bpf_o, (int)guest_hostile_bpf_o_len) != 0);
}

static int count_sample(void *ctx, void *data, size_t size)
{
	(void)data;
	(void)size;
	++*(int *)ctx;
	return 0;
}

static void scenario_handles(void)
{
	uint64_t obj = load();
	int fd = wasm_bpf_map_fd_by_name(obj, "counts");
	uint32_t key = 1;
	uint64_t value = 0;
	char buf[64];
	int n = 0;
	SHOW("map_fd", fd > 0);
	SHOW("map_fd_again_same", wasm_bpf_map_fd_by_name(obj, "counts") == fd);
	SHOW("attach_unknown_obj", wasm_attach_bpf_program(12345, "on_exec", NULL));
	SHOW("attach_obj_plus_2_32", wasm_attach_bpf_program(obj + (1ULL << 32), "on_exec", NULL));
	SHOW("map_fd_unknown_obj", wasm_bpf_map_fd_by_name(12345, "counts"));
	SHOW("operate_unknown_fd", wasm_bpf_map_operate(999, BPFWASM_MAP_LOOKUP, &key, &value, NULL, 0));
	SHOW("operate_negative_fd", wasm_bpf_map_operate(-1, BPFWASM_MAP_LOOKUP, &key, &value, NULL, 0));
	SHOW("poll_unknown_obj", bpfwasm_poll(12345, fd, count_sample, &n, buf, sizeof(buf), 0));
	SHOW("close_unknown", wasm_close_bpf_object(12345));
	SHOW("close_zero", wasm_close_bpf_object(0));
	SHOW("close", wasm_close_bpf_object(obj));
	SHOW("close_again", wasm_close_bpf_object(obj));
	SHOW("operate_after_close", wasm_bpf_map_operate(fd, BPFWASM_MAP_LOOKUP, &key, &value, NULL, 0));
	SHOW("map_fd_after_close", wasm_bpf_map_fd_by_name(obj, "counts"));
}

static void scenario_names(void)
{
	uint64_t obj = load();
	static char longname[5000];
	char *end = memory_end();
	memset(longname, 'a', sizeof(longname) - 1);
	memset(end - 8, 'x', 8); /* an unterminated string running into the end of memory */
	SHOW("attach_unknown_program", wasm_attach_bpf_program(obj, "no_such_program", NULL));
	SHOW("attach_null_name", wasm_attach_bpf_program(obj, NULL, NULL));
	SHOW("attach_name_beyond_memory", wasm_attach_bpf_program(obj, (char *)0xFFFFFFF0u, NULL));
	SHOW("attach_name_unterminated", wasm_attach_bpf_program(obj, end - 8, NULL));
	SHOW("attach_name_too_long", wasm_attach_bpf_program(obj, longname, NULL));
	SHOW("attach_target_beyond_memory", wasm_attach_bpf_program(obj, "on_exec", (char *)0xFFFFFFF0u));
	SHOW("map_fd_unknown_map", wasm_bpf_map_fd_by_name(obj, "no_such_map"));
	SHOW("map_fd_name_beyond_memory", wasm_bpf_map_fd_by_name(obj, (char *)0xFFFFFFF0u));
	SHOW("map_fd_name_unterminated", wasm_bpf_map_fd_by_name(obj, end - 8));
	SHOW("attach_empty_target", wasm_attach_bpf_program(obj, "on_exec", ""));
	SHOW("close", wasm_close_bpf_object(obj));
}

static void scenario_map(void)
{
	uint64_t obj = load();
	int fd = wasm_bpf_map_fd_by_name(obj, "counts");
	int ring = wasm_bpf_map_fd_by_name(obj, "events");
	uint32_t key = 7, next = 0;
	uint64_t value = 42, got = 0;
	char *end = memory_end();
	SHOW("lookup_missing", bpfwasm_map_lookup(fd, &key, &got));
	SHOW("update", bpfwasm_map_update(fd, &key, &value, BPFWASM_ANY));
	SHOW("lookup", bpfwasm_map_lookup(fd, &key, &got));
	SHOW("lookup_value", got);
	SHOW("update_noexist", bpfwasm_map_update(fd, &key, &value, BPFWASM_NOEXIST));
	SHOW("update_bad_flags", bpfwasm_map_update(fd, &key, &value, 1ULL << 40));
	SHOW("lookup_key_beyond_memory", bpfwasm_map_lookup(fd, (void *)0xFFFFFFF0u, &got));
	SHOW("lookup_value_crossing_end", bpfwasm_map_lookup(fd, &key, end - 4));
	SHOW("update_value_crossing_end", bpfwasm_map_update(fd, &key, end - 4, BPFWASM_ANY));
	SHOW("next_first", bpfwasm_map_next_key(fd, NULL, &next));
	SHOW("next_first_key", next);
	SHOW("next_last", bpfwasm_map_next_key(fd, &key, &next));
	SHOW("next_into_beyond_memory", bpfwasm_map_next_key(fd, NULL, (void *)0xFFFFFFFEu));
	SHOW("unknown_cmd", wasm_bpf_map_operate(fd, 99, &key, &value, NULL, 0));
	SHOW("delete", bpfwasm_map_delete(fd, &key));
	SHOW("delete_again", bpfwasm_map_delete(fd, &key));
	SHOW("ringbuf_lookup_is_error", bpfwasm_map_lookup(ring, &key, &got) < 0);
	SHOW("close", wasm_close_bpf_object(obj));
}

static void wrong_signature(int x)
{
	(void)x;
}

static void scenario_poll(void)
{
	uint64_t obj = load();
	uint64_t other = load();
	int ring = wasm_bpf_map_fd_by_name(obj, "events");
	int hash = wasm_bpf_map_fd_by_name(obj, "counts");
	int other_ring = wasm_bpf_map_fd_by_name(other, "events");
	char buf[64];
	int n = 0;
	SHOW("poll_empty", bpfwasm_poll(obj, ring, count_sample, &n, buf, sizeof(buf), 0));
	SHOW("poll_timeout_50ms", bpfwasm_poll(obj, ring, count_sample, &n, buf, sizeof(buf), 50));
	SHOW("poll_buf_beyond_memory", bpfwasm_poll(obj, ring, count_sample, &n, (void *)0xFFFFFF00u, 64, 0));
	SHOW("poll_negative_size", bpfwasm_poll(obj, ring, count_sample, &n, buf, -1, 0));
	SHOW("poll_fn_out_of_table", wasm_bpf_buffer_poll(obj, ring, 99999, 0, buf, sizeof(buf), 0));
	SHOW("poll_fn_wrong_signature",
	     wasm_bpf_buffer_poll(obj, ring, (int32_t)(uintptr_t)&wrong_signature, 0, buf, sizeof(buf), 0));
	SHOW("poll_hash_map", bpfwasm_poll(obj, hash, count_sample, &n, buf, sizeof(buf), 0));
	SHOW("poll_other_objects_map", bpfwasm_poll(obj, other_ring, count_sample, &n, buf, sizeof(buf), 0));
	SHOW("poll_unknown_fd", bpfwasm_poll(obj, 999, count_sample, &n, buf, sizeof(buf), 0));
	SHOW("close_other", wasm_close_bpf_object(other));
	SHOW("close", wasm_close_bpf_object(obj));
}

struct delivery {
	uint64_t obj;
	int ring;
	int want;
	int seen;
};

static int deliver_sample(void *ctx, void *data, size_t size)
{
	struct delivery *d = ctx;
	char inner[8];
	uint32_t pid;
	memcpy(&pid, data, sizeof(pid));
	printf("sample size=%zu pid=%u\n", size, pid);
	if (d->seen++ == 0) {
		SHOW("nested_poll", bpfwasm_poll(d->obj, d->ring, deliver_sample, d, inner, sizeof(inner), 0));
		SHOW("close_in_callback", wasm_close_bpf_object(d->obj));
	}
	return d->seen >= d->want ? -42 : 0;
}

static void scenario_deliver(int want)
{
	struct delivery d = {.obj = load(), .want = want};
	char buf[4]; /* smaller than an event: every sample arrives truncated to 4 bytes */
	d.ring = wasm_bpf_map_fd_by_name(d.obj, "events");
	SHOW("attach", wasm_attach_bpf_program(d.obj, "on_exec", NULL));
	printf("ready\n");
	for (;;) {
		int rc = bpfwasm_poll(d.obj, d.ring, deliver_sample, &d, buf, sizeof(buf), 100);
		if (rc < 0) {
			SHOW("stopped", rc);
			break;
		}
	}
	SHOW("close", wasm_close_bpf_object(d.obj));
}

static void scenario_block(void)
{
	uint64_t obj = load();
	int ring = wasm_bpf_map_fd_by_name(obj, "events");
	char buf[64];
	int n = 0;
	SHOW("attach", wasm_attach_bpf_program(obj, "on_exec", NULL));
	printf("ready\n");
	for (;;) /* wait forever; only a stop ends this */
		bpfwasm_poll(obj, ring, count_sample, &n, buf, sizeof(buf), -1);
}

static void scenario_trap(void)
{
	uint64_t obj = load();
	SHOW("attach", wasm_attach_bpf_program(obj, "on_exec", NULL));
	printf("ready\n");
	fflush(stdout);
	__builtin_trap();
}

/* Loads and attaches, then exits without closing: the host must clean up. */
static void scenario_leave(void)
{
	uint64_t obj = load();
	SHOW("attach", wasm_attach_bpf_program(obj, "on_exec", NULL));
	SHOW("map_fd", wasm_bpf_map_fd_by_name(obj, "events") > 0);
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	if (!strcmp(s, "load"))
		scenario_load();
	else if (!strcmp(s, "handles"))
		scenario_handles();
	else if (!strcmp(s, "names"))
		scenario_names();
	else if (!strcmp(s, "map"))
		scenario_map();
	else if (!strcmp(s, "poll"))
		scenario_poll();
	else if (!strcmp(s, "deliver"))
		scenario_deliver(argc > 2 ? atoi(argv[2]) : 1);
	else if (!strcmp(s, "block"))
		scenario_block();
	else if (!strcmp(s, "trap"))
		scenario_trap();
	else if (!strcmp(s, "leave"))
		scenario_leave();
	else {
		fprintf(stderr, "usage: guest_hostile load|handles|names|map|poll|deliver <n>|block|trap|leave\n");
		return 2;
	}
	printf("done\n");
	return 0;
}
