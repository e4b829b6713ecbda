// SPDX-License-Identifier: Apache-2.0
/*
 * Checks include/bpfwasm_elf.h on real BPF objects (the embedded execsnoop and ringbench objects): a patched value is
 * what libbpf sees as the global's initial value, a patched map size is what libbpf and the kernel use, wrong
 * names/sizes/sections are refused, and truncated or corrupted objects never make it read or write outside the buffer
 * (built with AddressSanitizer). Needs root (loads one object). Exit status 0 = all passed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpfwasm_elf.h"
#include "execsnoop.bpf.obj.h"
#include "ringbench.bpf.obj.h"

static int checks, failures;

#define CHECK(cond, ...)                                                                                              \
	do {                                                                                                          \
		checks++;                                                                                             \
		if (!(cond)) {                                                                                        \
			failures++;                                                                                   \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                          \
			fprintf(stderr, __VA_ARGS__);                                                                 \
			fputc('\n', stderr);                                                                          \
		}                                                                                                     \
	} while (0)

/* The initial value libbpf would load for `symbol` of .rodata (found by the same offset libbpf uses). */
static int rodata_value_seen_by_libbpf(const void *elf, size_t len, const char *symbol, int *value)
{
	struct bpf_object *obj = bpf_object__open_mem(elf, len, NULL);
	if (!obj)
		return -errno;
	int err = -ENOENT;
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj) {
		if (!strstr(bpf_map__name(map), ".rodata"))
			continue;
		size_t size;
		const char *data = bpf_map__initial_value(map, &size);
		struct btf *btf = bpf_object__btf(obj);
		/* Find the variable's offset in the .rodata DATASEC. */
		int id = btf__find_by_name(btf, ".rodata");
		const struct btf_type *sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
		for (int i = 0; sec && i < btf_vlen(sec); i++) {
			const struct btf_var_secinfo *vs = btf_var_secinfos(sec) + i;
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			if (strcmp(btf__name_by_offset(btf, var->name_off), symbol) == 0 && vs->offset + 4 <= size) {
				memcpy(value, data + vs->offset, sizeof(*value));
				err = 0;
			}
		}
	}
	bpf_object__close(obj);
	return err;
}

static void check_patch_reaches_libbpf(void)
{
	unsigned char *elf = malloc(execsnoop_bpf_o_len);
	memcpy(elf, execsnoop_bpf_o, execsnoop_bpf_o_len);
	int ppid = 123456, seen = 0;
	int err = bpfwasm_set_rodata(elf, execsnoop_bpf_o_len, "target_ppid", &ppid, sizeof(ppid));
	CHECK(err == 0, "set target_ppid: %d", err);
	err = rodata_value_seen_by_libbpf(elf, execsnoop_bpf_o_len, "target_ppid", &seen);
	CHECK(err == 0 && seen == ppid, "libbpf sees target_ppid=%d (err %d), want %d", seen, err, ppid);
	CHECK(memcmp(elf, execsnoop_bpf_o, execsnoop_bpf_o_len) != 0, "bytes changed");
	free(elf);

	/* Two globals in one object. */
	elf = malloc(ringbench_bpf_o_len);
	memcpy(elf, ringbench_bpf_o, ringbench_bpf_o_len);
	int tgid = 777, flag = 1;
	CHECK(bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "target_tgid", &tgid, sizeof(tgid)) == 0, "target_tgid");
	CHECK(bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "no_wakeup", &flag, sizeof(flag)) == 0, "no_wakeup");
	CHECK(rodata_value_seen_by_libbpf(elf, ringbench_bpf_o_len, "target_tgid", &seen) == 0 && seen == tgid,
	      "target_tgid=%d", seen);
	CHECK(rodata_value_seen_by_libbpf(elf, ringbench_bpf_o_len, "no_wakeup", &seen) == 0 && seen == flag,
	      "no_wakeup=%d", seen);
	free(elf);
}

static void check_refusals(void)
{
	unsigned char *elf = malloc(ringbench_bpf_o_len);
	memcpy(elf, ringbench_bpf_o, ringbench_bpf_o_len);
	int v = 1;
	long long wide = 1;
	int err;
	err = bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "no_such_global", &v, sizeof(v));
	CHECK(err == -ENOENT, "unknown symbol: %d", err);
	err = bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "target_tgid", &wide, sizeof(wide));
	CHECK(err == -ERANGE, "wrong size: %d", err);
	err = bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "events", &v, sizeof(v));
	CHECK(err == -ENOENT, "a map is not a .rodata global: %d", err);
	err = bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "next_seq", &wide, sizeof(wide));
	CHECK(err == -ENOENT, "a .bss global is not in .rodata: %d", err);
	err = bpfwasm_set_data(elf, ringbench_bpf_o_len, "next_seq", &wide, sizeof(wide));
	CHECK(err == -ENOENT, "a .bss global cannot be set: %d", err);
	err = bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "on_getppid", &v, sizeof(v));
	CHECK(err == -ENOENT, "a function is not a global: %d", err);
	CHECK(memcmp(elf, ringbench_bpf_o, ringbench_bpf_o_len) == 0, "refused calls wrote nothing");
	err = bpfwasm_set_rodata(NULL, 0, "target_tgid", &v, sizeof(v));
	CHECK(err == -EINVAL, "NULL buffer: %d", err);
	unsigned char garbage[256];
	memset(garbage, 0x5a, sizeof(garbage));
	err = bpfwasm_set_rodata(garbage, sizeof(garbage), "target_tgid", &v, sizeof(v));
	CHECK(err == -EINVAL, "garbage: %d", err);
	free(elf);
}

/* max_entries set through the BTF is what libbpf and then the kernel use. */
static void check_max_entries(void)
{
	unsigned char *elf = malloc(ringbench_bpf_o_len);
	memcpy(elf, ringbench_bpf_o, ringbench_bpf_o_len);
	int err = bpfwasm_set_map_max_entries(elf, ringbench_bpf_o_len, "events", 1 << 16);
	CHECK(err == 0, "set events max_entries: %d", err);
	err = bpfwasm_set_map_max_entries(elf, ringbench_bpf_o_len, "no_such_map", 8);
	CHECK(err == -ENOENT, "unknown map: %d", err);
	err = bpfwasm_set_map_max_entries(elf, ringbench_bpf_o_len, "target_tgid", 8);
	CHECK(err == -ENOENT, "a global is not a map: %d", err);
	/* stats has max_entries 2 = BPF_MAP_TYPE_ARRAY: BTF dedup shares `int (*)[2]` between its type and its size. */
	err = bpfwasm_set_map_max_entries(elf, ringbench_bpf_o_len, "stats", 8);
	CHECK(err == -EBUSY, "shared encoding refused: %d", err);

	struct bpf_object *obj = bpf_object__open_mem(elf, ringbench_bpf_o_len, NULL);
	CHECK(obj != NULL, "open patched object: %d", -errno);
	if (!obj)
		return;
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	CHECK(bpf_map__max_entries(events) == 1 << 16, "libbpf sees max_entries=%u", bpf_map__max_entries(events));
	struct bpf_map *lookup = bpf_object__find_map_by_name(obj, "lookup");
	CHECK(bpf_map__max_entries(lookup) == 16, "other maps unchanged: %u", bpf_map__max_entries(lookup));
	struct bpf_map *stats = bpf_object__find_map_by_name(obj, "stats");
	CHECK(bpf_map__max_entries(stats) == 2 && bpf_map__type(stats) == BPF_MAP_TYPE_ARRAY,
	      "a refused map is unchanged: %u", bpf_map__max_entries(stats));
	err = bpf_object__load(obj);
	CHECK(err == 0, "load patched object: %d", err);
	if (!err) {
		struct bpf_map_info info = {};
		__u32 info_len = sizeof(info);
		err = bpf_obj_get_info_by_fd(bpf_map__fd(events), &info, &info_len);
		CHECK(err == 0 && info.max_entries == 1 << 16, "kernel map max_entries=%u (err %d)", info.max_entries,
		      err);
	}
	bpf_object__close(obj);
	free(elf);
}

/* Every truncation of a real object: an exactly sized heap copy, so ASan catches any access past its end. */
static void check_truncations(void)
{
	int v = 1, ok = 1;
	for (size_t len = 0; len < ringbench_bpf_o_len; len++) {
		unsigned char *elf = malloc(len ? len : 1);
		memcpy(elf, ringbench_bpf_o, len);
		int err = bpfwasm_set_rodata(elf, len, "target_tgid", &v, sizeof(v));
		if (err == 0)
			ok = 0; /* the section headers sit at the end: no prefix is a complete object */
		if (bpfwasm_set_map_max_entries(elf, len, "events", 4096) == 0)
			ok = 0;
		free(elf);
	}
	CHECK(ok, "every truncated object is refused");
}

/* Random corruption of header fields: must never crash or touch memory outside the buffer. */
static void check_corruptions(void)
{
	srand(42);
	int v = 1;
	for (int i = 0; i < 20000; i++) {
		unsigned char *elf = malloc(ringbench_bpf_o_len);
		memcpy(elf, ringbench_bpf_o, ringbench_bpf_o_len);
		for (int k = 0; k < 4; k++) {
			/* Half the flips hit the ELF header or the section header table, where offsets live. */
			size_t shoff = (size_t)bpfwasm_elf_u64(ringbench_bpf_o + 40);
			size_t pos = rand() % 2 ? (size_t)rand() % 64
						: shoff + (size_t)rand() % (ringbench_bpf_o_len - shoff);
			elf[pos] = (unsigned char)rand();
		}
		bpfwasm_set_rodata(elf, ringbench_bpf_o_len, "target_tgid", &v, sizeof(v));
		free(elf);
	}
	/* The same for the BTF that map sizes are read from. */
	struct bpfwasm_elf e;
	struct bpfwasm_elf_section btf;
	CHECK(bpfwasm_elf_open(ringbench_bpf_o, ringbench_bpf_o_len, &e) == 0 &&
	      bpfwasm_elf_find_section(&e, ".BTF", &btf) == 0, "find .BTF");
	for (int i = 0; i < 20000; i++) {
		unsigned char *elf = malloc(ringbench_bpf_o_len);
		memcpy(elf, ringbench_bpf_o, ringbench_bpf_o_len);
		for (int k = 0; k < 4; k++) {
			size_t pos = rand() % 4 ? btf.offset + (size_t)rand() % btf.size : (size_t)rand() % 64;
			elf[pos] = (unsigned char)rand();
		}
		bpfwasm_set_map_max_entries(elf, ringbench_bpf_o_len, "events", 4096);
		free(elf);
	}
	CHECK(1, "corruptions survived");
}

int main(void)
{
	libbpf_set_print(NULL);
	check_patch_reaches_libbpf();
	check_refusals();
	check_max_entries();
	check_truncations();
	check_corruptions();
	printf("bpfwasm_elf_check: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
