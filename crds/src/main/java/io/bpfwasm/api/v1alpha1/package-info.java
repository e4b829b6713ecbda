/**
 * The bpfwasm API, group {@code bpfwasm.io}, version {@code v1alpha1}: these Java types are the source of truth and
 * the CRD YAML is generated from them (crds/generated/).
 *
 * <p>{@link io.bpfwasm.api.v1alpha1.BpfWasmProgram} says what runs where; the operator writes one
 * {@link io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram} per (program, node), which is that node's assignment and the
 * place its agent reports the node's status.
 */
package io.bpfwasm.api.v1alpha1;
