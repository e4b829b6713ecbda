// SPDX-License-Identifier: Apache-2.0
/*
 * A native stand-in for the wasm_bpf host module, on libbpf: links a guest's C source into a plain Linux program
 * (`make native` -> build/native/<name>) so its logic can be checked against the real kernel without a Wasm
 * runtime. A test tool, not a runtime: no bounds checks, attach targets for uprobes (<binary>:<function>), XDP (an
 * interface) and cgroup programs (a cgroup directory) only, Linux errno numbers. Guests are built
 * with -no-pie so that the function and context pointers they pass as 32-bit "table indexes" fit in 32 bits.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfwasm.h"

#define MAX_LINKS 64

struct native_object {
	struct bpf_object *obj;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	struct ring_buffer *rb;  /* for a ring buffer map */
	struct perf_buffer *pb;  /* or for a perf event array */
	int buffer_map_fd;
	/* The guest's callback and buffer for the poll in progress. */
	bpfwasm_sample_fn fn;
	void *ctx;
	char *data;
	int max_size;
};

uint64_t wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz)
{
	struct native_object *o = calloc(1, sizeof(*o));
	if (!o)
		return 0;
	o->obj = bpf_object__open_mem(obj_buf, obj_buf_sz, NULL);
	if (!o->obj || bpf_object__load(o->obj)) {
		fprintf(stderr, "native_host: load: %s\n", strerror(errno));
		bpf_object__close(o->obj);
		free(o);
		return 0;
	}
	return (uint64_t)(uintptr_t)o;
}

/* Attaches a uprobe/uretprobe program to "<binary>:<function>[+offset]". */
static struct bpf_link *attach_uprobe(struct bpf_program *prog, const char *target)
{
	char binary[4096], function[256];
	unsigned long offset = 0;
	const char *colon = strrchr(target, ':');
	if (!colon || colon == target || (size_t)(colon - target) >= sizeof(binary)) {
		errno = EINVAL;
		return NULL;
	}
	memcpy(binary, target, colon - target);
	binary[colon - target] = '\0';
	snprintf(function, sizeof(function), "%s", colon + 1);
	char *plus = strchr(function, '+');
	if (plus) {
		*plus = '\0';
		offset = strtoul(plus + 1, NULL, 0);
	}
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = function,
		    .retprobe = strncmp(bpf_program__section_name(prog), "uretprobe", 9) == 0);
	return bpf_program__attach_uprobe_opts(prog, -1, binary, offset, &opts);
}

int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *attach_target)
{
	struct native_object *o = (struct native_object *)(uintptr_t)obj;
	struct bpf_program *prog = bpf_object__find_program_by_name(o->obj, name);
	if (!prog)
		return -ENOENT;
	if (o->nlinks == MAX_LINKS)
		return -ENOSPC;
	struct bpf_link *link;
	if (!attach_target || !*attach_target)
		link = bpf_program__attach(prog);
	else if (bpf_program__type(prog) == BPF_PROG_TYPE_KPROBE) /* uprobes are kprobe-type programs */
		link = attach_uprobe(prog, attach_target);
	else if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP) {
		unsigned int ifindex = if_nametoindex(attach_target);
		if (!ifindex)
			return -ENODEV;
		link = bpf_program__attach_xdp(prog, (int)ifindex);
	} else if (bpf_program__type(prog) == BPF_PROG_TYPE_CGROUP_SKB) {
		int cgroup = open(attach_target, O_RDONLY | O_DIRECTORY);
		if (cgroup < 0)
			return -errno;
		link = bpf_program__attach_cgroup(prog, cgroup);
		int saved = errno;
		close(cgroup); /* the link holds the cgroup */
		errno = saved;
	} else
		return -ENOTSUP;
	if (!link)
		return -errno;
	o->links[o->nlinks++] = link;
	return 0;
}

int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name)
{
	struct native_object *o = (struct native_object *)(uintptr_t)obj;
	int fd = bpf_object__find_map_fd_by_name(o->obj, name);
	return fd < 0 ? -ENOENT : fd;
}

int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags)
{
	switch (cmd) {
	case BPFWASM_MAP_LOOKUP: return bpf_map_lookup_elem_flags(fd, key, value, flags);
	case BPFWASM_MAP_UPDATE: return bpf_map_update_elem(fd, key, value, flags);
	case BPFWASM_MAP_DELETE: return bpf_map_delete_elem(fd, key);
	case BPFWASM_MAP_GET_NEXT_KEY: return bpf_map_get_next_key(fd, key, next_key);
	default: return -EINVAL;
	}
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct native_object *o = ctx;
	size_t n = size < (size_t)o->max_size ? size : (size_t)o->max_size;
	memcpy(o->data, data, n);
	return o->fn(o->ctx, o->data, n);
}

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	on_sample(ctx, data, size);
}

int wasm_bpf_buffer_poll(uint64_t obj, int fd, int32_t sample_func, uint32_t ctx, char *data, int max_size,
			 int timeout_ms)
{
	struct native_object *o = (struct native_object *)(uintptr_t)obj;
	if (!o->rb && !o->pb) {
		struct bpf_map_info info = {};
		__u32 info_len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
			return -errno;
		if (info.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			o->pb = perf_buffer__new(fd, 64, on_perf_sample, NULL, o, NULL);
		else
			o->rb = ring_buffer__new(fd, on_sample, o, NULL);
		if (!o->rb && !o->pb)
			return -errno;
		o->buffer_map_fd = fd;
	} else if (fd != o->buffer_map_fd) {
		return -EINVAL;
	}
	o->fn = (bpfwasm_sample_fn)(uintptr_t)(uint32_t)sample_func;
	o->ctx = (void *)(uintptr_t)ctx;
	o->data = data;
	o->max_size = max_size;
	return o->rb ? ring_buffer__poll(o->rb, timeout_ms) : perf_buffer__poll(o->pb, timeout_ms);
}

int wasm_close_bpf_object(uint64_t obj)
{
	struct native_object *o = (struct native_object *)(uintptr_t)obj;
	ring_buffer__free(o->rb);
	perf_buffer__free(o->pb);
	for (int i = 0; i < o->nlinks; i++)
		bpf_link__destroy(o->links[i]);
	bpf_object__close(o->obj);
	free(o);
	return 0;
}
