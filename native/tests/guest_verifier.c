// SPDX-License-Identifier: Apache-2.0
/* Loads an object whose program the verifier rejects; exits 1 when the load fails, as real guests do. */
#include <stdio.h>
#include "bpfwasm.h"
#include "guest_verifier.bpf.obj.h"

int main(void)
{
	uint64_t obj = wasm_load_bpf_object(guest_verifier_bpf_o, (int)guest_verifier_bpf_o_len);
	if (!obj) {
		fprintf(stderr, "guest_verifier: failed to load the BPF object\n");
		return 1;
	}
	printf("loaded (unexpected)\n");
	return 0;
}
