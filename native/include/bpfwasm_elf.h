/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Setting `const volatile` configuration of a BPF object before it is loaded, the way libbpf skeletons do with
 * `skel->rodata->x = ...`: the guest overwrites the initial value of the global inside the embedded ELF bytes, then
 * passes those bytes to wasm_load_bpf_object. The kernel sees the patched value as a constant, so the verifier can
 * prune the branches it disables.
 *
 *     const volatile int target_pid = 0;           // in x.bpf.c
 *
 *     int pid = 42;                                 // in x.c, before wasm_load_bpf_object
 *     int err = bpfwasm_set_rodata(x_bpf_o, x_bpf_o_len, "target_pid", &pid, sizeof(pid));
 *
 * The object must be a little-endian ELF64 relocatable file with a symbol table (what clang -target bpf and
 * `bpftool gen object` produce); the embedded array must be writable (xxd -i emits a plain `unsigned char[]`).
 * Every offset read from the file is checked against its length, so a damaged object gives -EINVAL, never a stray
 * write. Plain C with no wasm specifics: native loaders can use it on the same bytes.
 */
#ifndef BPFWASM_ELF_H
#define BPFWASM_ELF_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Layout constants of ELF64 (from the ELF specification; wasi-libc has no <elf.h>). */
#define BPFWASM_ELF_EHDR_SIZE 64
#define BPFWASM_ELF_SHDR_SIZE 64
#define BPFWASM_ELF_SYM_SIZE 24
#define BPFWASM_ELF_SHT_PROGBITS 1
#define BPFWASM_ELF_SHT_SYMTAB 2
#define BPFWASM_ELF_SHT_STRTAB 3
#define BPFWASM_ELF_SHT_NOBITS 8
#define BPFWASM_ELF_STT_OBJECT 1
#define BPFWASM_ELF_SHN_LORESERVE 0xff00

/* Little-endian field readers that need no alignment. */
static inline uint16_t bpfwasm_elf_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t bpfwasm_elf_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t bpfwasm_elf_u64(const unsigned char *p)
{
	return (uint64_t)bpfwasm_elf_u32(p) | (uint64_t)bpfwasm_elf_u32(p + 4) << 32;
}

/* True when [off, off + size) lies inside a buffer of len bytes (no overflow). */
static inline int bpfwasm_elf_in_bounds(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

/* One section header, decoded. */
struct bpfwasm_elf_section {
	uint32_t name;
	uint32_t type;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint64_t entsize;
};

/* Decodes section header idx; -EINVAL when it or the bytes it describes lie outside the file. */
static inline int bpfwasm_elf_section(const unsigned char *elf, size_t len, uint64_t shoff, uint16_t shnum,
				      uint32_t idx, struct bpfwasm_elf_section *sec)
{
	if (idx >= shnum)
		return -EINVAL;
	const unsigned char *sh = elf + shoff + (uint64_t)idx * BPFWASM_ELF_SHDR_SIZE;
	sec->name = bpfwasm_elf_u32(sh);
	sec->type = bpfwasm_elf_u32(sh + 4);
	sec->offset = bpfwasm_elf_u64(sh + 24);
	sec->size = bpfwasm_elf_u64(sh + 32);
	sec->link = bpfwasm_elf_u32(sh + 40);
	sec->entsize = bpfwasm_elf_u64(sh + 56);
	/* SHT_NOBITS (.bss) occupies no file bytes; everything else must fit in the file. */
	if (sec->type != BPFWASM_ELF_SHT_NOBITS && !bpfwasm_elf_in_bounds(sec->offset, sec->size, len))
		return -EINVAL;
	return 0;
}

/* The NUL-terminated string at off in a string table section, or NULL when it is not inside the table. */
static inline const char *bpfwasm_elf_string(const unsigned char *elf, const struct bpfwasm_elf_section *strtab,
					     uint32_t off)
{
	if (strtab->type != BPFWASM_ELF_SHT_STRTAB || off >= strtab->size)
		return NULL;
	const char *s = (const char *)elf + strtab->offset + off;
	if (!memchr(s, '\0', strtab->size - off))
		return NULL;
	return s;
}

/* True when name is prefix itself or prefix followed by a '.' suffix (".rodata", ".rodata.cst4", ...). */
static inline int bpfwasm_elf_section_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(name, prefix, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

/* A checked view of an ELF64 little-endian object: its section header table and section name table. */
struct bpfwasm_elf {
	const unsigned char *bytes;
	size_t len;
	uint64_t shoff;
	uint16_t shnum;
	struct bpfwasm_elf_section shstrtab;
};

/* Checks the ELF header and locates the section headers; -EINVAL when the bytes are not such an object. */
static inline int bpfwasm_elf_open(const void *bytes, size_t len, struct bpfwasm_elf *e)
{
	const unsigned char *elf = bytes;
	if (!elf || len < BPFWASM_ELF_EHDR_SIZE || memcmp(elf, "\177ELF", 4) != 0)
		return -EINVAL;
	if (elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* ELFDATA2LSB */)
		return -EINVAL;
	e->bytes = elf;
	e->len = len;
	e->shoff = bpfwasm_elf_u64(elf + 40);
	e->shnum = bpfwasm_elf_u16(elf + 60);
	if (bpfwasm_elf_u16(elf + 58) != BPFWASM_ELF_SHDR_SIZE || e->shnum == 0 ||
	    !bpfwasm_elf_in_bounds(e->shoff, (uint64_t)e->shnum * BPFWASM_ELF_SHDR_SIZE, len))
		return -EINVAL;
	uint16_t shstrndx = bpfwasm_elf_u16(elf + 62);
	if (bpfwasm_elf_section(elf, len, e->shoff, e->shnum, shstrndx, &e->shstrtab) < 0)
		return -EINVAL;
	return 0;
}

/* Finds the section called name; -ENOENT when there is none, -EINVAL when the headers are damaged. */
static inline int bpfwasm_elf_find_section(const struct bpfwasm_elf *e, const char *name,
					   struct bpfwasm_elf_section *sec)
{
	for (uint32_t i = 1; i < e->shnum; i++) {
		if (bpfwasm_elf_section(e->bytes, e->len, e->shoff, e->shnum, i, sec) < 0)
			return -EINVAL;
		const char *section = bpfwasm_elf_string(e->bytes, &e->shstrtab, sec->name);
		if (section && strcmp(section, name) == 0)
			return 0;
	}
	return -ENOENT;
}

/*
 * Finds the bytes of the data object `symbol` in a section named section_prefix (or section_prefix.*) and returns
 * their file offset in *offset. Returns 0, -EINVAL (not an ELF64 little-endian object, or damaged), -ENOENT (no such
 * symbol in such a section) or -ERANGE (the symbol is not `size` bytes long).
 */
static inline int bpfwasm_elf_find_global(const void *elf_bytes, size_t len, const char *section_prefix,
					  const char *symbol, size_t size, size_t *offset)
{
	struct bpfwasm_elf e;
	if (bpfwasm_elf_open(elf_bytes, len, &e) < 0)
		return -EINVAL;
	const unsigned char *elf = e.bytes;
	struct bpfwasm_elf_section symtab, strtab;
	uint32_t symtab_idx = 0;
	for (uint32_t i = 1; i < e.shnum && !symtab_idx; i++) {
		if (bpfwasm_elf_section(elf, len, e.shoff, e.shnum, i, &symtab) < 0)
			return -EINVAL;
		if (symtab.type == BPFWASM_ELF_SHT_SYMTAB)
			symtab_idx = i;
	}
	if (!symtab_idx || symtab.entsize != BPFWASM_ELF_SYM_SIZE ||
	    bpfwasm_elf_section(elf, len, e.shoff, e.shnum, symtab.link, &strtab) < 0)
		return -EINVAL;

	for (uint64_t i = 1; i < symtab.size / BPFWASM_ELF_SYM_SIZE; i++) {
		const unsigned char *sym = elf + symtab.offset + i * BPFWASM_ELF_SYM_SIZE;
		const char *name = bpfwasm_elf_string(elf, &strtab, bpfwasm_elf_u32(sym));
		if (!name || strcmp(name, symbol) != 0 || (sym[4] & 0xf) != BPFWASM_ELF_STT_OBJECT)
			continue;
		uint16_t shndx = bpfwasm_elf_u16(sym + 6);
		struct bpfwasm_elf_section data;
		if (shndx == 0 || shndx >= BPFWASM_ELF_SHN_LORESERVE ||
		    bpfwasm_elf_section(elf, len, e.shoff, e.shnum, shndx, &data) < 0)
			continue;
		const char *section = bpfwasm_elf_string(elf, &e.shstrtab, data.name);
		if (data.type != BPFWASM_ELF_SHT_PROGBITS || !section || !bpfwasm_elf_section_is(section, section_prefix))
			continue;
		uint64_t value = bpfwasm_elf_u64(sym + 8); /* offset inside the section (relocatable object) */
		uint64_t sym_size = bpfwasm_elf_u64(sym + 16);
		if (sym_size != size)
			return -ERANGE;
		if (!bpfwasm_elf_in_bounds(value, sym_size, data.size))
			return -EINVAL;
		*offset = (size_t)(data.offset + value);
		return 0;
	}
	return -ENOENT;
}

/* Overwrites the initial value of `const volatile` global `symbol` (in .rodata) with size bytes from value. */
static inline int bpfwasm_set_rodata(void *elf, size_t len, const char *symbol, const void *value, size_t size)
{
	size_t offset;
	int err = bpfwasm_elf_find_global(elf, len, ".rodata", symbol, size, &offset);
	if (err)
		return err;
	memcpy((unsigned char *)elf + offset, value, size);
	return 0;
}

/* The same for an initialized writable global (in .data), e.g. `int threshold = 10;`. */
static inline int bpfwasm_set_data(void *elf, size_t len, const char *symbol, const void *value, size_t size)
{
	size_t offset;
	int err = bpfwasm_elf_find_global(elf, len, ".data", symbol, size, &offset);
	if (err)
		return err;
	memcpy((unsigned char *)elf + offset, value, size);
	return 0;
}

/*
 * Map sizes. A BTF-defined map's `__uint(max_entries, N)` is encoded in the object's BTF as the type of its
 * max_entries member: a pointer to an array of N ints. libbpf reads N from there, so rewriting that array's element
 * count sets max_entries before load (what libbpf's bpf_map__set_max_entries does for native loaders).
 */
enum bpfwasm_btf_kind {
	BPFWASM_BTF_INT = 1, BPFWASM_BTF_PTR, BPFWASM_BTF_ARRAY, BPFWASM_BTF_STRUCT, BPFWASM_BTF_UNION,
	BPFWASM_BTF_ENUM, BPFWASM_BTF_FWD, BPFWASM_BTF_TYPEDEF, BPFWASM_BTF_VOLATILE, BPFWASM_BTF_CONST,
	BPFWASM_BTF_RESTRICT, BPFWASM_BTF_FUNC, BPFWASM_BTF_FUNC_PROTO, BPFWASM_BTF_VAR, BPFWASM_BTF_DATASEC,
	BPFWASM_BTF_FLOAT, BPFWASM_BTF_DECL_TAG, BPFWASM_BTF_TYPE_TAG, BPFWASM_BTF_ENUM64,
};

#define BPFWASM_BTF_TYPE_SIZE 12 /* name_off, info, size_or_type */

/* The type and string sections of an object's .BTF, checked against the file. */
struct bpfwasm_btf {
	size_t types;      /* file offset of type id 1 */
	uint32_t types_len;
	size_t strs;       /* file offset of the string section */
	uint32_t strs_len;
};

static inline int bpfwasm_btf_open(const struct bpfwasm_elf *e, struct bpfwasm_btf *b)
{
	struct bpfwasm_elf_section sec;
	int err = bpfwasm_elf_find_section(e, ".BTF", &sec);
	if (err)
		return err;
	const unsigned char *h = e->bytes + sec.offset;
	if (sec.size < 24 || bpfwasm_elf_u16(h) != 0xeb9f)
		return -EINVAL;
	uint32_t hdr_len = bpfwasm_elf_u32(h + 4);
	uint64_t type_off = (uint64_t)hdr_len + bpfwasm_elf_u32(h + 8), str_off = (uint64_t)hdr_len + bpfwasm_elf_u32(h + 16);
	b->types_len = bpfwasm_elf_u32(h + 12);
	b->strs_len = bpfwasm_elf_u32(h + 20);
	if (hdr_len < 24 || !bpfwasm_elf_in_bounds(type_off, b->types_len, sec.size) ||
	    !bpfwasm_elf_in_bounds(str_off, b->strs_len, sec.size))
		return -EINVAL;
	b->types = sec.offset + type_off;
	b->strs = sec.offset + str_off;
	return 0;
}

/* Bytes taken by the type at t (header and kind-specific data), or 0 when unknown or cut off by avail. */
static inline uint32_t bpfwasm_btf_type_size(const unsigned char *t, uint32_t avail)
{
	if (avail < BPFWASM_BTF_TYPE_SIZE)
		return 0;
	uint32_t info = bpfwasm_elf_u32(t + 4), vlen = info & 0xffff, extra;
	switch ((info >> 24) & 0x1f) {
	case BPFWASM_BTF_INT: case BPFWASM_BTF_VAR: case BPFWASM_BTF_DECL_TAG: extra = 4; break;
	case BPFWASM_BTF_PTR: case BPFWASM_BTF_FWD: case BPFWASM_BTF_TYPEDEF: case BPFWASM_BTF_VOLATILE:
	case BPFWASM_BTF_CONST: case BPFWASM_BTF_RESTRICT: case BPFWASM_BTF_FUNC: case BPFWASM_BTF_FLOAT:
	case BPFWASM_BTF_TYPE_TAG: extra = 0; break;
	case BPFWASM_BTF_ARRAY: extra = 12; break;
	case BPFWASM_BTF_STRUCT: case BPFWASM_BTF_UNION: case BPFWASM_BTF_DATASEC: case BPFWASM_BTF_ENUM64:
		extra = vlen * 12; break;
	case BPFWASM_BTF_ENUM: case BPFWASM_BTF_FUNC_PROTO: extra = vlen * 8; break;
	default: return 0;
	}
	return extra <= avail - BPFWASM_BTF_TYPE_SIZE ? BPFWASM_BTF_TYPE_SIZE + extra : 0;
}

static inline uint32_t bpfwasm_btf_kind(const unsigned char *t)
{
	return (bpfwasm_elf_u32(t + 4) >> 24) & 0x1f;
}

static inline uint32_t bpfwasm_btf_vlen(const unsigned char *t)
{
	return bpfwasm_elf_u32(t + 4) & 0xffff;
}

/* The type with this id (1-based), or NULL. A walk from the start: objects have few enough types. */
static inline const unsigned char *bpfwasm_btf_type(const struct bpfwasm_elf *e, const struct bpfwasm_btf *b,
						    uint32_t id)
{
	uint32_t pos = 0;
	for (uint32_t i = 1; id > 0 && pos < b->types_len; i++) {
		const unsigned char *t = e->bytes + b->types + pos;
		uint32_t size = bpfwasm_btf_type_size(t, b->types_len - pos);
		if (!size)
			return NULL;
		if (i == id)
			return t;
		pos += size;
	}
	return NULL;
}

/* The type's name ("" when anonymous), or NULL when the offset is not a string of the section. */
static inline const char *bpfwasm_btf_name(const struct bpfwasm_elf *e, const struct bpfwasm_btf *b,
					   const unsigned char *t)
{
	uint32_t off = bpfwasm_elf_u32(t);
	if (off >= b->strs_len)
		return NULL;
	const char *s = (const char *)e->bytes + b->strs + off;
	return memchr(s, '\0', b->strs_len - off) ? s : NULL;
}

/* Follows typedef/volatile/const/restrict/type_tag from id; returns the type and its id in *out_id. */
static inline const unsigned char *bpfwasm_btf_skip_mods(const struct bpfwasm_elf *e, const struct bpfwasm_btf *b,
							 uint32_t id, uint32_t *out_id)
{
	for (int depth = 0; depth < 32; depth++) {
		const unsigned char *t = bpfwasm_btf_type(e, b, id);
		if (!t)
			return NULL;
		uint32_t kind = bpfwasm_btf_kind(t);
		if (kind != BPFWASM_BTF_TYPEDEF && kind != BPFWASM_BTF_VOLATILE && kind != BPFWASM_BTF_CONST &&
		    kind != BPFWASM_BTF_RESTRICT && kind != BPFWASM_BTF_TYPE_TAG) {
			*out_id = id;
			return t;
		}
		id = bpfwasm_elf_u32(t + 8);
	}
	return NULL;
}

/* How many places in the BTF refer to type id (BTF deduplication lets equal types be shared). */
static inline uint32_t bpfwasm_btf_count_refs(const struct bpfwasm_elf *e, const struct bpfwasm_btf *b, uint32_t id)
{
	uint32_t refs = 0, pos = 0, size;
	while (pos < b->types_len && (size = bpfwasm_btf_type_size(e->bytes + b->types + pos, b->types_len - pos))) {
		const unsigned char *t = e->bytes + b->types + pos, *x = t + BPFWASM_BTF_TYPE_SIZE;
		uint32_t vlen = bpfwasm_btf_vlen(t);
		switch (bpfwasm_btf_kind(t)) {
		case BPFWASM_BTF_PTR: case BPFWASM_BTF_TYPEDEF: case BPFWASM_BTF_VOLATILE: case BPFWASM_BTF_CONST:
		case BPFWASM_BTF_RESTRICT: case BPFWASM_BTF_FUNC: case BPFWASM_BTF_VAR: case BPFWASM_BTF_DECL_TAG:
		case BPFWASM_BTF_TYPE_TAG:
			refs += bpfwasm_elf_u32(t + 8) == id;
			break;
		case BPFWASM_BTF_ARRAY:
			refs += (bpfwasm_elf_u32(x) == id) + (bpfwasm_elf_u32(x + 4) == id);
			break;
		case BPFWASM_BTF_STRUCT: case BPFWASM_BTF_UNION: /* members: name_off, type, offset */
			for (uint32_t i = 0; i < vlen; i++)
				refs += bpfwasm_elf_u32(x + i * 12 + 4) == id;
			break;
		case BPFWASM_BTF_FUNC_PROTO: /* return type, then params: name_off, type */
			refs += bpfwasm_elf_u32(t + 8) == id;
			for (uint32_t i = 0; i < vlen; i++)
				refs += bpfwasm_elf_u32(x + i * 8 + 4) == id;
			break;
		case BPFWASM_BTF_DATASEC: /* vars: type, offset, size */
			for (uint32_t i = 0; i < vlen; i++)
				refs += bpfwasm_elf_u32(x + i * 12) == id;
			break;
		}
		pos += size;
	}
	return refs;
}

/*
 * Sets max_entries of BTF-defined map `map` (declared in SEC(".maps") with __uint(max_entries, ...)) before load.
 * Returns 0, -ENOENT (no such map, or it declares no max_entries), -EINVAL (damaged object) or -EBUSY (the encoding
 * of its current max_entries is shared with another type after BTF deduplication, e.g. two maps with the same
 * max_entries: give this map a distinct default). The kernel still checks the value (ring buffers: a power of two
 * and a multiple of the page size).
 */
static inline int bpfwasm_set_map_max_entries(void *elf, size_t len, const char *map, uint32_t max_entries)
{
	struct bpfwasm_elf e;
	struct bpfwasm_btf b;
	int err = bpfwasm_elf_open(elf, len, &e);
	if (!err)
		err = bpfwasm_btf_open(&e, &b);
	if (err)
		return err;
	uint32_t pos = 0, size;
	while (pos < b.types_len && (size = bpfwasm_btf_type_size(e.bytes + b.types + pos, b.types_len - pos))) {
		const unsigned char *sec = e.bytes + b.types + pos;
		pos += size;
		const char *sec_name = bpfwasm_btf_name(&e, &b, sec);
		if (bpfwasm_btf_kind(sec) != BPFWASM_BTF_DATASEC || !sec_name || strcmp(sec_name, ".maps") != 0)
			continue;
		for (uint32_t i = 0; i < bpfwasm_btf_vlen(sec); i++) {
			const unsigned char *var = bpfwasm_btf_type(&e, &b, bpfwasm_elf_u32(sec + 12 + i * 12));
			const char *var_name = var ? bpfwasm_btf_name(&e, &b, var) : NULL;
			if (!var || bpfwasm_btf_kind(var) != BPFWASM_BTF_VAR || !var_name || strcmp(var_name, map) != 0)
				continue;
			uint32_t def_id, ptr_id, array_id;
			const unsigned char *def = bpfwasm_btf_skip_mods(&e, &b, bpfwasm_elf_u32(var + 8), &def_id);
			if (!def || bpfwasm_btf_kind(def) != BPFWASM_BTF_STRUCT)
				return -EINVAL;
			for (uint32_t m = 0; m < bpfwasm_btf_vlen(def); m++) {
				const unsigned char *member = def + 12 + m * 12;
				uint32_t name_off = bpfwasm_elf_u32(member);
				const char *member_name = name_off < b.strs_len ? (const char *)e.bytes + b.strs + name_off : NULL;
				if (!member_name || !memchr(member_name, '\0', b.strs_len - name_off) ||
				    strcmp(member_name, "max_entries") != 0)
					continue;
				const unsigned char *ptr = bpfwasm_btf_skip_mods(&e, &b, bpfwasm_elf_u32(member + 4), &ptr_id);
				if (!ptr || bpfwasm_btf_kind(ptr) != BPFWASM_BTF_PTR)
					return -EINVAL;
				array_id = bpfwasm_elf_u32(ptr + 8);
				const unsigned char *array = bpfwasm_btf_type(&e, &b, array_id);
				if (!array || bpfwasm_btf_kind(array) != BPFWASM_BTF_ARRAY)
					return -EINVAL;
				if (bpfwasm_btf_count_refs(&e, &b, ptr_id) != 1 || bpfwasm_btf_count_refs(&e, &b, array_id) != 1)
					return -EBUSY;
				unsigned char *nelems = (unsigned char *)elf + (array - e.bytes) + BPFWASM_BTF_TYPE_SIZE + 8;
				for (int k = 0; k < 4; k++)
					nelems[k] = (unsigned char)(max_entries >> (8 * k));
				return 0;
			}
			return -ENOENT;
		}
	}
	return -ENOENT;
}

#endif /* BPFWASM_ELF_H */
