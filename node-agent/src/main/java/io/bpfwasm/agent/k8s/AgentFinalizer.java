package io.bpfwasm.agent.k8s;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;

/**
 * The agent's finalizer ({@link Labels#AGENT_FINALIZER}) on an assignment: taken before anything is loaded, released
 * after the guest has stopped and its BPF objects are closed, so a deleted assignment disappears only once the node is
 * clean.
 */
public final class AgentFinalizer {
    // edit() sends the resourceVersion it read: a status write in between is a conflict, and a fresh read fixes it.
    private static final int MAX_ATTEMPTS = 5;
    private final KubernetesClient client;

    public AgentFinalizer(KubernetesClient client) {
        this.client = client;
    }

    public static boolean held(BpfWasmNodeProgram assignment) {
        var finalizers = assignment.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(Labels.AGENT_FINALIZER);
    }

    /** Adds the finalizer; false when the assignment is gone or already being deleted. */
    public boolean add(BpfWasmNodeProgram assignment) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tryAdd(assignment);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private boolean tryAdd(BpfWasmNodeProgram assignment) {
        try {
            BpfWasmNodeProgram edited = resource(assignment).edit(current -> {
                if (current.getMetadata().getDeletionTimestamp() != null) {
                    return current; // a deleted object accepts no new finalizers
                }
                if (current.getMetadata().getFinalizers() == null) {
                    current.getMetadata().setFinalizers(new ArrayList<>());
                }
                if (!current.getMetadata().getFinalizers().contains(Labels.AGENT_FINALIZER)) {
                    current.getMetadata().getFinalizers().add(Labels.AGENT_FINALIZER);
                }
                return current;
            });
            return edited != null && held(edited);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Removes the finalizer; the assignment may then disappear. Retries when a concurrent write wins. */
    public void remove(BpfWasmNodeProgram assignment) {
        for (int attempt = 1; ; attempt++) {
            try {
                resource(assignment).edit(current -> {
                    if (current.getMetadata().getFinalizers() != null) {
                        current.getMetadata().getFinalizers().remove(Labels.AGENT_FINALIZER);
                    }
                    return current;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private io.fabric8.kubernetes.client.dsl.Resource<BpfWasmNodeProgram> resource(BpfWasmNodeProgram assignment) {
        return client.resources(BpfWasmNodeProgram.class).inNamespace(assignment.getMetadata().getNamespace())
                .withName(assignment.getMetadata().getName());
    }
}
