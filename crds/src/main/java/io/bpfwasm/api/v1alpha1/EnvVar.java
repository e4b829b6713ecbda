package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One guest environment variable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvVar {
  @Required
  @Size(min = 1, max = 256)
  private String name;
  @Size(max = 4096)
  private String value;

  public EnvVar() {}

  public EnvVar(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
}
