package io.bpfwasm.agent.k8s;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's assignments only: a label selector {@link Labels#NODE}=node (server-side), in every namespace
 * or the listed ones, and a check of spec.nodeName (a long node name's label value is a hash that could collide).
 */
public final class AssignmentWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentWatcher.class);

    /** What the agent does with assignments; called on the informer's thread, so it must return quickly. */
    public interface Listener {
        /** Added or changed (including a deletion timestamp being set). */
        void onAssignment(BpfWasmNodeProgram assignment);

        /** The object is gone from the apiserver. */
        void onGone(BpfWasmNodeProgram assignment);
    }

    private final List<SharedIndexInformer<BpfWasmNodeProgram>> informers = new ArrayList<>();

    public AssignmentWatcher(KubernetesClient client, String node, List<String> namespaces, Listener listener) {
        ResourceEventHandler<BpfWasmNodeProgram> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(BpfWasmNodeProgram a) {
                if (mine(a)) {
                    listener.onAssignment(a);
                }
            }

            @Override
            public void onUpdate(BpfWasmNodeProgram old, BpfWasmNodeProgram a) {
                if (mine(a)) {
                    listener.onAssignment(a);
                }
            }

            @Override
            public void onDelete(BpfWasmNodeProgram a, boolean finalStateUnknown) {
                if (mine(a)) {
                    listener.onGone(a);
                }
            }

            private boolean mine(BpfWasmNodeProgram a) {
                boolean mine = a.getSpec() != null && node.equals(a.getSpec().getNodeName());
                if (!mine) {
                    LOG.warn("assignment {}/{} carries this node's label but names node {}; ignoring it",
                            a.getMetadata().getNamespace(), a.getMetadata().getName(),
                            a.getSpec() == null ? null : a.getSpec().getNodeName());
                }
                return mine;
            }
        };
        String selector = Labels.valueFor(node);
        if (namespaces.isEmpty()) {
            informers.add(client.resources(BpfWasmNodeProgram.class).inAnyNamespace()
                    .withLabel(Labels.NODE, selector).runnableInformer(0).addEventHandler(handler));
        } else {
            for (String ns : namespaces) {
                informers.add(client.resources(BpfWasmNodeProgram.class).inNamespace(ns)
                        .withLabel(Labels.NODE, selector).runnableInformer(0).addEventHandler(handler));
            }
        }
    }

    public void start() {
        informers.forEach(SharedIndexInformer::start);
    }

    /** True once every informer has listed its objects. */
    public boolean hasSynced() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** True while every informer's watch is running. */
    public boolean isWatching() {
        return informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
