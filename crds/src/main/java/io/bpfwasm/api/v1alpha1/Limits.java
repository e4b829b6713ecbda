package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** Resource limits of the guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Limits {
  private Quantity memory;
  @Size(max = 16)
  @ValidationRule(value = "self.matches('^[1-9][0-9]*(ms|s|m)$')",
      message = "limits.cpuGuard must be a positive whole number of ms, s or m, e.g. 500ms or 2s")
  private String cpuGuard;

  /** Upper bound of the guest's linear memory (e.g. "64Mi"); the engine refuses to grow beyond it. */
  public Quantity getMemory() { return memory; }
  public void setMemory(Quantity memory) { this.memory = memory; }
  /**
   * Longest time the guest may run without returning to the host (e.g. "500ms", "2s"); a guest stuck longer is
   * stopped and restarted by the agent, so a runaway loop cannot hog a node's CPU.
   */
  public String getCpuGuard() { return cpuGuard; }
  public void setCpuGuard(String cpuGuard) { this.cpuGuard = cpuGuard; }
}
