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

/*
 * Finds the bytes of the data object `symbol` in a section named section_prefix (or section_prefix.*) and returns
 * their file offset in *offset. Returns 0, -EINVAL (not an ELF64 little-endian object, or damaged), -ENOENT (no such
 * symbol in such a section) or -ERANGE (the symbol is not `size` bytes long).
 */
static inline int bpfwasm_elf_find_global(const void *elf_bytes, size_t len, const char *section_prefix,
					  const char *symbol, size_t size, size_t *offset)
{
	const unsigned char *elf = elf_bytes;
	if (!elf || len < BPFWASM_ELF_EHDR_SIZE || memcmp(elf, "\177ELF", 4) != 0)
		return -EINVAL;
	if (elf[4] != 2 /* ELFCLASS64 */ || elf[5] != 1 /* ELFDATA2LSB */)
		return -EINVAL;
	uint64_t shoff = bpfwasm_elf_u64(elf + 40);
	uint16_t shentsize = bpfwasm_elf_u16(elf + 58);
	uint16_t shnum = bpfwasm_elf_u16(elf + 60);
	uint16_t shstrndx = bpfwasm_elf_u16(elf + 62);
	if (shentsize != BPFWASM_ELF_SHDR_SIZE || shnum == 0 ||
	    !bpfwasm_elf_in_bounds(shoff, (uint64_t)shnum * BPFWASM_ELF_SHDR_SIZE, len))
		return -EINVAL;

	struct bpfwasm_elf_section shstrtab, symtab, strtab;
	if (bpfwasm_elf_section(elf, len, shoff, shnum, shstrndx, &shstrtab) < 0)
		return -EINVAL;
	uint32_t symtab_idx = 0;
	for (uint32_t i = 1; i < shnum && !symtab_idx; i++) {
		if (bpfwasm_elf_section(elf, len, shoff, shnum, i, &symtab) < 0)
			return -EINVAL;
		if (symtab.type == BPFWASM_ELF_SHT_SYMTAB)
			symtab_idx = i;
	}
	if (!symtab_idx || symtab.entsize != BPFWASM_ELF_SYM_SIZE ||
	    bpfwasm_elf_section(elf, len, shoff, shnum, symtab.link, &strtab) < 0)
		return -EINVAL;

	for (uint64_t i = 1; i < symtab.size / BPFWASM_ELF_SYM_SIZE; i++) {
		const unsigned char *sym = elf + symtab.offset + i * BPFWASM_ELF_SYM_SIZE;
		const char *name = bpfwasm_elf_string(elf, &strtab, bpfwasm_elf_u32(sym));
		if (!name || strcmp(name, symbol) != 0 || (sym[4] & 0xf) != BPFWASM_ELF_STT_OBJECT)
			continue;
		uint16_t shndx = bpfwasm_elf_u16(sym + 6);
		struct bpfwasm_elf_section data;
		if (shndx == 0 || shndx >= BPFWASM_ELF_SHN_LORESERVE ||
		    bpfwasm_elf_section(elf, len, shoff, shnum, shndx, &data) < 0)
			continue;
		const char *section = bpfwasm_elf_string(elf, &shstrtab, data.name);
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

#endif /* BPFWASM_ELF_H */
