/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpfwasm guest SDK: the wasi-bpf host API (import module "wasm_bpf", the same ABI as eunomia-bpf/wasm-bpf, so
 * guests written for wasm-bpf build unchanged) plus small helpers for the poll loop and map operations.
 *
 * Every call returns a negative WASI errno on failure (e.g. -EINVAL, -ENOENT, -EFAULT from <errno.h> of wasi-libc);
 * wasm_load_bpf_object returns 0 on failure.
 */
#ifndef BPFWASM_H
#define BPFWASM_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __wasm__
#define BPFWASM_IMPORT(name) __attribute__((import_module("wasm_bpf"), import_name(#name)))
#else
/* Native builds of a guest (sdk/native_host.c, `make native`) link these functions from the stand-in host. */
#define BPFWASM_IMPORT(name)
#endif

/* Opens and loads a BPF ELF object from guest memory; returns an opaque handle, 0 on failure. */
uint64_t wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz) BPFWASM_IMPORT(wasm_load_bpf_object);
/* Attaches program `name`; attach_target NULL or "" attaches by its SEC() name. */
int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *attach_target)
	BPFWASM_IMPORT(wasm_attach_bpf_program);
/* Polls the ring or perf buffer map `fd`: each sample is copied into data (at most max_size bytes) and
 * sample_func(ctx, data, size) is called through the function table. Returns the number of samples consumed. */
int wasm_bpf_buffer_poll(uint64_t obj, int fd, int32_t sample_func, uint32_t ctx, char *data, int max_size,
			 int timeout_ms) BPFWASM_IMPORT(wasm_bpf_buffer_poll);
/* A handle for map `name` of object obj, usable with wasm_bpf_map_operate and wasm_bpf_buffer_poll. */
int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name) BPFWASM_IMPORT(wasm_bpf_map_fd_by_name);
/* cmd: BPFWASM_MAP_LOOKUP, _UPDATE, _DELETE, _GET_NEXT_KEY. Key and value sizes come from the map. */
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags)
	BPFWASM_IMPORT(wasm_bpf_map_operate);
/* Detaches every link of obj, unloads its programs and maps. */
int wasm_close_bpf_object(uint64_t obj) BPFWASM_IMPORT(wasm_close_bpf_object);

enum bpfwasm_map_cmd {
	BPFWASM_MAP_LOOKUP = 1,
	BPFWASM_MAP_UPDATE = 2,
	BPFWASM_MAP_DELETE = 3,
	BPFWASM_MAP_GET_NEXT_KEY = 4,
};

/* Update flags, as the kernel's BPF_ANY / BPF_NOEXIST / BPF_EXIST / BPF_F_LOCK. */
#define BPFWASM_ANY 0ULL
#define BPFWASM_NOEXIST 1ULL
#define BPFWASM_EXIST 2ULL
#define BPFWASM_F_LOCK 4ULL

/* A sample callback: return 0 to continue, a negative value to stop the poll (it becomes the poll's result). */
typedef int (*bpfwasm_sample_fn)(void *ctx, void *data, size_t size);

/* Attaches each named program (by its SEC()); stops at the first error and returns it. */
static inline int bpfwasm_attach_all(uint64_t obj, const char *const *names, int count)
{
	for (int i = 0; i < count; i++) {
		int err = wasm_attach_bpf_program(obj, names[i], NULL);
		if (err < 0)
			return err;
	}
	return 0;
}

/* One poll of the ring/perf buffer map map_fd (from wasm_bpf_map_fd_by_name): each sample is copied into buf
 * (truncated to buf_size) before fn is called; returns the number of samples, or fn's negative result that stopped it. */
static inline int bpfwasm_poll(uint64_t obj, int map_fd, bpfwasm_sample_fn fn, void *ctx, void *buf, int buf_size,
			       int timeout_ms)
{
	return wasm_bpf_buffer_poll(obj, map_fd, (int32_t)(uintptr_t)fn, (uint32_t)(uintptr_t)ctx, (char *)buf,
				    buf_size, timeout_ms);
}

static inline int bpfwasm_map_lookup(int map_fd, const void *key, void *value)
{
	return wasm_bpf_map_operate(map_fd, BPFWASM_MAP_LOOKUP, (void *)key, value, NULL, 0);
}

static inline int bpfwasm_map_update(int map_fd, const void *key, const void *value, uint64_t flags)
{
	return wasm_bpf_map_operate(map_fd, BPFWASM_MAP_UPDATE, (void *)key, (void *)value, NULL, flags);
}

static inline int bpfwasm_map_delete(int map_fd, const void *key)
{
	return wasm_bpf_map_operate(map_fd, BPFWASM_MAP_DELETE, (void *)key, NULL, NULL, 0);
}

/* Writes the key after `key` (or the first key when key is NULL) into next_key; -ENOENT after the last. */
static inline int bpfwasm_map_next_key(int map_fd, const void *key, void *next_key)
{
	return wasm_bpf_map_operate(map_fd, BPFWASM_MAP_GET_NEXT_KEY, (void *)key, NULL, next_key, 0);
}

/* Called for each key by bpfwasm_map_for_each_key; return a negative value to stop the iteration. */
typedef int (*bpfwasm_key_fn)(const void *key, void *ctx);

/*
 * Calls fn(key, ctx) for every key of a map, with key and next_key buffers of key_size bytes each. fn may look the
 * key up or delete it: the iteration has already moved past it. Returns 0 at the end, fn's negative return, or the
 * map's error. Keys inserted or deleted by the kernel meanwhile may or may not be visited (as with any BPF map walk).
 */
static inline int bpfwasm_map_for_each_key(int map_fd, void *key, void *next_key, size_t key_size, bpfwasm_key_fn fn,
					   void *ctx)
{
	int err = bpfwasm_map_next_key(map_fd, NULL, next_key);
	while (err == 0) {
		memcpy(key, next_key, key_size);
		err = bpfwasm_map_next_key(map_fd, key, next_key);
		int stop = fn(key, ctx);
		if (stop < 0)
			return stop;
	}
	return err == -ENOENT ? 0 : err;
}

/*
 * Polls a ring/perf buffer map until a poll fails (other than -EINTR) or a callback stops it with a negative value,
 * which is returned. For guests whose whole job is printing events: the runtime ends them when the program stops.
 */
static inline int bpfwasm_poll_loop(uint64_t obj, int map_fd, bpfwasm_sample_fn fn, void *ctx, void *buf, int buf_size,
				    int timeout_ms)
{
	for (;;) {
		int err = bpfwasm_poll(obj, map_fd, fn, ctx, buf, buf_size, timeout_ms);
		if (err < 0 && err != -EINTR)
			return err;
	}
}

#endif /* BPFWASM_H */
