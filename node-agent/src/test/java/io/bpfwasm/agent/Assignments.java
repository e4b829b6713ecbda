package io.bpfwasm.agent;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramSpec;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.ModuleSource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;

/** Assignments as the operator writes them (labels, spec copy), for tests that run without the operator. */
final class Assignments {
    private Assignments() {}

    static BpfWasmNodeProgram of(String namespace, String program, String node, ModuleSource module,
                                 List<String> args) {
        var spec = new BpfWasmNodeProgramSpec();
        spec.setModule(module);
        spec.setArgs(args);
        spec.setNodeName(node);
        spec.setProgramName(program);
        spec.setProgramGeneration(1L);
        var assignment = new BpfWasmNodeProgram();
        assignment.setMetadata(new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(program + "-" + node)
                .withLabels(Map.of(Labels.PROGRAM, Labels.valueFor(program), Labels.NODE, Labels.valueFor(node)))
                .build());
        assignment.setSpec(spec);
        return assignment;
    }

    static ModuleSource oci(String reference, String digest) {
        var source = new ModuleSource();
        var oci = new ModuleSource.OciSource();
        oci.setReference(reference);
        source.setOci(oci);
        source.setDigest(digest);
        return source;
    }

    static ModuleSource https(String url, String digest) {
        var source = new ModuleSource();
        var https = new ModuleSource.HttpsSource();
        https.setUrl(url);
        source.setHttps(https);
        source.setDigest(digest);
        return source;
    }

    static ModuleSource configMap(String name, String key, String digest) {
        var source = new ModuleSource();
        var cm = new ModuleSource.ConfigMapSource();
        cm.setName(name);
        cm.setKey(key);
        source.setConfigMap(cm);
        source.setDigest(digest);
        return source;
    }
}
