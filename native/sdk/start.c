/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry point for bpfwasm guests. Debian's wasi-libc _start does not call the constructors, so wasm-ld would wrap
 * every exported function with constructor/destructor calls; calling them here, once, keeps exports plain.
 */
#include <stdlib.h>

extern void __wasm_call_ctors(void);
extern int __main_void(void);

__attribute__((export_name("_start"))) void _start(void)
{
	__wasm_call_ctors();
	exit(__main_void());
}
