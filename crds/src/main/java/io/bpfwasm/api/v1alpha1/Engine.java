package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The WebAssembly engine that runs the user-space half. */
public enum Engine {
  @JsonProperty("chicory") CHICORY,
  @JsonProperty("wasmtime") WASMTIME
}
