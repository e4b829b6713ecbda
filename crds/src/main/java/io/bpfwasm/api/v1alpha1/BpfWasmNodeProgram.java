package io.bpfwasm.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One node's assignment of one {@link BpfWasmProgram}: written by the operator (spec, labels {@link Labels#PROGRAM}
 * and {@link Labels#NODE}, owner reference to the program), read by that node's agent, which reports the node's
 * status here and holds the {@link Labels#AGENT_FINALIZER} while the program runs.
 */
@Group(BpfWasmProgram.GROUP)
@Version(BpfWasmProgram.VERSION)
// Spelled out: without them fabric8 derives both names with its regex-based pluralizer on every instance it
// constructs (every watch event and response): ~7% of the operator's CPU in the scale benchmark.
@Plural("bpfwasmnodeprograms")
@Singular("bpfwasmnodeprogram")
@ShortNames("bwnp")
@AdditionalPrinterColumn(name = "Program", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.programName")
@AdditionalPrinterColumn(name = "Node", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.nodeName")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Restarts", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.restarts")
@AdditionalPrinterColumn(name = "Error", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
    jsonPath = ".status.lastError.message")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class BpfWasmNodeProgram extends CustomResource<BpfWasmNodeProgramSpec, BpfWasmNodeProgramStatus>
    implements Namespaced {

  @Override
  protected BpfWasmNodeProgramStatus initStatus() {
    return new BpfWasmNodeProgramStatus();
  }
}
