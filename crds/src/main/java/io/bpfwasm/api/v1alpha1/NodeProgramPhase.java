package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a node's agent is with its assignment. */
public enum NodeProgramPhase {
  /** Seen by the agent, not started yet; or stopped because the agent shut down (the next agent starts it again). */
  @JsonProperty("Pending") PENDING,
  /** Fetching and verifying the module, loading BPF objects. */
  @JsonProperty("Loading") LOADING,
  /** Loaded, attached and the guest is running. */
  @JsonProperty("Running") RUNNING,
  /** spec.paused: nothing loaded. */
  @JsonProperty("Paused") PAUSED,
  /** The last attempt failed; see lastError. The agent retries with backoff. */
  @JsonProperty("Failed") FAILED,
  /** Detaching and unloading before the agent releases its finalizer. */
  @JsonProperty("Stopping") STOPPING
}
