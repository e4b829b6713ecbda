package io.bpfwasm.agent;

import io.bpfwasm.api.v1alpha1.Capabilities;
import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import java.util.List;

/** Turns a program's {@code capabilities} into the runtime's attach policy; an empty list does not limit. */
final class CapabilityPolicy {
    private static final List<String> ANY_TARGET = List.of("interface:**", "cgroup:**", "binary:**");

    private CapabilityPolicy() {}

    /** @throws IllegalArgumentException naming the first malformed entry */
    static AttachPolicy from(Capabilities capabilities) {
        if (capabilities == null) {
            return AttachPolicy.PERMISSIVE;
        }
        List<String> types = capabilities.getProgramTypes();
        List<String> targets = capabilities.getAttachTargets();
        boolean anyType = types == null || types.isEmpty();
        boolean anyTarget = targets == null || targets.isEmpty();
        if (anyType && anyTarget) {
            return AttachPolicy.PERMISSIVE;
        }
        return AttachPolicy.of(anyType ? List.of("*") : types, anyTarget ? ANY_TARGET : targets);
    }
}
