// SPDX-License-Identifier: Apache-2.0
/*
 * A native stand-in for the wasm_bpf host module, on libbpf: links a guest's C source into a plain Linux program
 * (`make native` -> build/native/<name>) so its logic can be checked against the real kernel without a Wasm
 * runtime. A test tool, not a runtime: no bounds checks, attach targets for uprobes (<binary>:<function>), XDP
 * (<interface>[:generic|:native]), tc (<interface>[:ingress|:egress]) and cgroup programs (a cgroup directory) only,
 * Linux errno numbers. Guests are built
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
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfwasm.h"

#define MAX_BPF_LINKS 64
#define MAX_TC 8

/* enum bpf_attach_type BPF_TCX_INGRESS / BPF_TCX_EGRESS (kernel 6.6; newer than Debian 12's headers) */
#define TCX_INGRESS 46
#define TCX_EGRESS 47

/* A tc filter (kernels without TCX) and whether we created the clsact qdisc it sits on. */
struct tc_filter {
	int ifindex;
	enum bpf_tc_attach_point point;
	__u32 handle, priority;
	int created_qdisc;
};

struct native_object {
	struct bpf_object *obj;
	struct bpf_link *links[MAX_BPF_LINKS];
	int nlinks;
	int link_fds[MAX_BPF_LINKS]; /* link fds from bpf_link_create (XDP, TCX) */
	int nlink_fds;
	struct tc_filter tc[MAX_TC];
	int ntc;
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

/* Splits "<interface>:<word>" into the interface's index and the word ("" when there is none). */
static int interface_and_word(const char *target, const char **word)
{
	char name[IF_NAMESIZE];
	const char *colon = strrchr(target, ':');
	size_t len = colon ? (size_t)(colon - target) : strlen(target);
	*word = colon ? colon + 1 : "";
	if (len >= sizeof(name))
		return -ENODEV;
	memcpy(name, target, len);
	name[len] = '\0';
	unsigned int ifindex = if_nametoindex(name);
	return ifindex ? (int)ifindex : -ENODEV;
}

/* "<interface>[:generic|:native]": an XDP link in that mode; returns the link fd or -errno. */
static int attach_xdp(struct bpf_program *prog, const char *target)
{
	const char *mode;
	int ifindex = interface_and_word(target, &mode);
	if (ifindex < 0)
		return ifindex;
	__u32 flags = !*mode ? 0 : !strcmp(mode, "generic") || !strcmp(mode, "skb") ? XDP_FLAGS_SKB_MODE
		    : !strcmp(mode, "native") || !strcmp(mode, "drv") ? XDP_FLAGS_DRV_MODE : ~0u;
	if (flags == ~0u)
		return -EINVAL;
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	return bpf_link_create(bpf_program__fd(prog), ifindex, BPF_XDP, &opts);
}

/*
 * "<interface>[:ingress|:egress]": a TCX link (its fd in *link_fd) where the kernel has them, else (*link_fd = -1)
 * a filter on the clsact qdisc, created when absent, described in *f. Like the runtime.
 */
static int attach_tc(struct bpf_program *prog, const char *target, int *link_fd, struct tc_filter *f)
{
	const char *direction;
	int ifindex = interface_and_word(target, &direction);
	if (ifindex < 0)
		return ifindex;
	if (*direction && strcmp(direction, "ingress") && strcmp(direction, "egress"))
		return -EINVAL;
	int egress = !strcmp(direction, "egress");
	*link_fd = bpf_link_create(bpf_program__fd(prog), ifindex, egress ? TCX_EGRESS : TCX_INGRESS, NULL);
	if (*link_fd >= 0)
		return 0;
	if (*link_fd != -EINVAL && *link_fd != -EOPNOTSUPP && *link_fd != -524 /* ENOTSUPP */)
		return *link_fd;
	*link_fd = -1; /* a kernel without TCX */
	f->ifindex = ifindex;
	f->point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = f->point);
	int err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	f->created_qdisc = err == 0;
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(prog));
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		if (f->created_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
		return err;
	}
	f->handle = opts.handle;
	f->priority = opts.priority;
	return 0;
}

static void detach_tc(const struct tc_filter *f)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = f->ifindex, .attach_point = f->point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = f->handle, .priority = f->priority);
	bpf_tc_detach(&hook, &opts);
	if (f->created_qdisc) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *attach_target)
{
	struct native_object *o = (struct native_object *)(uintptr_t)obj;
	struct bpf_program *prog = bpf_object__find_program_by_name(o->obj, name);
	if (!prog)
		return -ENOENT;
	if (o->nlinks == MAX_BPF_LINKS || o->nlink_fds == MAX_BPF_LINKS)
		return -ENOSPC;
	struct bpf_link *link;
	if (!attach_target || !*attach_target)
		link = bpf_program__attach(prog);
	else if (bpf_program__type(prog) == BPF_PROG_TYPE_KPROBE) /* uprobes are kprobe-type programs */
		link = attach_uprobe(prog, attach_target);
	else if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP) {
		int fd = attach_xdp(prog, attach_target);
		if (fd < 0)
			return fd;
		o->link_fds[o->nlink_fds++] = fd;
		return 0;
	} else if (bpf_program__type(prog) == BPF_PROG_TYPE_SCHED_CLS) {
		if (o->ntc == MAX_TC)
			return -ENOSPC;
		int fd;
		int err = attach_tc(prog, attach_target, &fd, &o->tc[o->ntc]);
		if (err)
			return err;
		if (fd >= 0)
			o->link_fds[o->nlink_fds++] = fd;
		else
			o->ntc++;
		return 0;
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
	for (int i = 0; i < o->nlink_fds; i++)
		close(o->link_fds[i]); /* closing the last fd of a link detaches it */
	for (int i = 0; i < o->ntc; i++)
		detach_tc(&o->tc[i]);
	bpf_object__close(o->obj);
	free(o);
	return 0;
}
