package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * What the module may attach in the kernel; the agent refuses (-EPERM to the guest) any attach outside it. An empty
 * list does not limit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Capabilities {
  @Size(max = 32)
  private List<String> programTypes = new ArrayList<>();
  @Size(max = 128)
  @ValidationRule(value = "self.all(t, t.matches('^(interface|cgroup|binary):.+$'))",
      message = "capabilities.attachTargets: every entry must be interface:<glob>, cgroup:<glob> or binary:<glob>")
  private List<@Size(max = 4096) String> attachTargets = new ArrayList<>();

  /** Hook kinds the module may attach: "tracepoint", "raw_tracepoint", "uprobe", "uretprobe", "xdp", "tc", "cgroup_skb", ... or "*". */
  public List<String> getProgramTypes() { return programTypes; }
  public void setProgramTypes(List<String> programTypes) { this.programTypes = programTypes; }
  /** Kernel objects the module may attach to: "interface:<glob>", "cgroup:<glob>" or "binary:<glob>", e.g. "interface:eth*", "cgroup:/sys/fs/cgroup/**"; tracepoints need only their kind. */
  public List<String> getAttachTargets() { return attachTargets; }
  public void setAttachTargets(List<String> attachTargets) { this.attachTargets = attachTargets; }
}
