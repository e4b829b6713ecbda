package io.bpfwasm.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** An eBPF program with a WebAssembly user-space half, and the nodes it should run on. */
@Group(BpfWasmProgram.GROUP)
@Version(BpfWasmProgram.VERSION)
// Spelled out: without them fabric8 derives both names with its regex-based pluralizer on every instance it
// constructs (every watch event and response): ~7% of the operator's CPU in the scale benchmark.
@Plural("bpfwasmprograms")
@Singular("bpfwasmprogram")
@ShortNames("bwp")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Nodes", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.nodes",
    getDescription = "nodes ready / nodes selected")
@AdditionalPrinterColumn(name = "Digest", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.shortDigest")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class BpfWasmProgram extends CustomResource<BpfWasmProgramSpec, BpfWasmProgramStatus> implements Namespaced {
  public static final String GROUP = "bpfwasm.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected BpfWasmProgramStatus initStatus() {
    return new BpfWasmProgramStatus();
  }
}
