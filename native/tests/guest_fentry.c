// SPDX-License-Identifier: Apache-2.0
/* Loads an object with an fentry program; exits 1 when the load fails. */
#include <stdio.h>
#include "bpfwasm.h"
#include "guest_fentry.bpf.obj.h"

int main(void)
{
	uint64_t obj = wasm_load_bpf_object(guest_fentry_bpf_o, (int)guest_fentry_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "guest_fentry: failed to load the BPF object\n");
		return 1;
	}
	printf("loaded (unexpected)\n");
	return 0;
}
