package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A copy of the program's {@link RunSpec} for one node, plus which node and which program generation it is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BpfWasmNodeProgramSpec extends RunSpec {
  @Required
  private String nodeName;
  @Required
  private String programName;
  private Long programGeneration;

  /** The Node that must run this. */
  public String getNodeName() { return nodeName; }
  public void setNodeName(String nodeName) { this.nodeName = nodeName; }
  /** The {@link BpfWasmProgram} (same namespace) this assignment comes from. */
  public String getProgramName() { return programName; }
  public void setProgramName(String programName) { this.programName = programName; }
  /** The program's metadata.generation this copy was taken from. */
  public Long getProgramGeneration() { return programGeneration; }
  public void setProgramGeneration(Long programGeneration) { this.programGeneration = programGeneration; }
}
