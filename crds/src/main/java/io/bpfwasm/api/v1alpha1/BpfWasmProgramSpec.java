package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** What to run ({@link RunSpec}) and where: the nodes whose labels match {@link #getNodeSelector()}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BpfWasmProgramSpec extends RunSpec {
  // Label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters; value: at most 63.
  static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
      + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
  static final String LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

  @Size(max = 32)
  @ValidationRule(value = "self.all(k, k.size() <= 317 && k.matches('" + LABEL_KEY + "'))",
      message = "nodeSelector: every key must be a label key such as \"kubernetes.io/os\" or \"disktype\"")
  @ValidationRule(value = "self.all(k, self[k].matches('" + LABEL_VALUE + "'))",
      message = "nodeSelector: every value must be a label value (at most 63 letters, digits, '-', '_' or '.')")
  private Map<String, @Size(max = 63) String> nodeSelector = new LinkedHashMap<>();

  /** Labels a Node must carry (all of them) to run this program; empty selects every node. */
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
}
