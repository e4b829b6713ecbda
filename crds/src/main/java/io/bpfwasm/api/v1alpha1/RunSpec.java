package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node must run and how: shared by a program's spec and each node's assignment, so the operator hands a node
 * an exact copy of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunSpec {
  @Required
  private ModuleSource module;
  @Size(max = 64)
  private List<String> args = new ArrayList<>();
  @Size(max = 64)
  private List<EnvVar> env = new ArrayList<>();
  private Limits limits;
  private Capabilities capabilities;
  @Default("chicory")
  private Engine engine = Engine.CHICORY;
  @Default("false")
  private boolean paused;

  /** The .wasm module: one source and its sha256 digest. */
  public ModuleSource getModule() { return module; }
  public void setModule(ModuleSource module) { this.module = module; }
  /** Guest arguments after argv[0] (which is the module's name). */
  public List<String> getArgs() { return args; }
  public void setArgs(List<String> args) { this.args = args; }
  /** Guest environment variables. */
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
  public Limits getLimits() { return limits; }
  public void setLimits(Limits limits) { this.limits = limits; }
  public Capabilities getCapabilities() { return capabilities; }
  public void setCapabilities(Capabilities capabilities) { this.capabilities = capabilities; }
  /** The WebAssembly engine; chicory unless set. */
  public Engine getEngine() { return engine; }
  public void setEngine(Engine engine) { this.engine = engine; }
  /** When true the nodes unload the program but keep their assignments. */
  public boolean isPaused() { return paused; }
  public void setPaused(boolean paused) { this.paused = paused; }

  /** Copies every field of this spec into {@code target}, sharing the (treated as immutable) field values. */
  public void copyTo(RunSpec target) {
    target.setModule(module);
    target.setArgs(args);
    target.setEnv(env);
    target.setLimits(limits);
    target.setCapabilities(capabilities);
    target.setEngine(engine);
    target.setPaused(paused);
  }
}
