package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** What the module may do in the kernel; the agent refuses loads and attaches outside it. Empty means no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Capabilities {
  @Size(max = 32)
  private List<String> programTypes = new ArrayList<>();
  @Size(max = 128)
  private List<String> attachTargets = new ArrayList<>();

  /** BPF program types the object may contain, by their SEC() prefix: "tracepoint", "kprobe", "xdp", ... */
  public List<String> getProgramTypes() { return programTypes; }
  public void setProgramTypes(List<String> programTypes) { this.programTypes = programTypes; }
  /** Attach targets the module may use; globs with '*', e.g. "syscalls/sys_enter_exec*". */
  public List<String> getAttachTargets() { return attachTargets; }
  public void setAttachTargets(List<String> attachTargets) { this.attachTargets = attachTargets; }
}
