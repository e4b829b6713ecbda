package io.bpfwasm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfwasm.api.v1alpha1.Capabilities;
import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityPolicyTest {

    @Test
    void absentOrEmptyCapabilitiesDoNotLimit() {
        assertThat(CapabilityPolicy.from(null)).isSameAs(AttachPolicy.PERMISSIVE);
        assertThat(CapabilityPolicy.from(new Capabilities())).isSameAs(AttachPolicy.PERMISSIVE);
    }

    @Test
    void typesAndTargetsLimitIndependently() {
        var onlyXdp = new Capabilities();
        onlyXdp.setProgramTypes(List.of("xdp"));
        AttachPolicy policy = CapabilityPolicy.from(onlyXdp);
        assertThat(policy.denial(new AttachPoint("xdp", AttachPoint.Subject.INTERFACE, "eth0"))).isEmpty();
        assertThat(policy.denial(new AttachPoint("tracepoint", AttachPoint.Subject.NONE, ""))).isPresent();

        var onlyEth = new Capabilities();
        onlyEth.setAttachTargets(List.of("interface:eth*"));
        policy = CapabilityPolicy.from(onlyEth);
        assertThat(policy.denial(new AttachPoint("tracepoint", AttachPoint.Subject.NONE, ""))).isEmpty();
        assertThat(policy.denial(new AttachPoint("xdp", AttachPoint.Subject.INTERFACE, "eth1"))).isEmpty();
        assertThat(policy.denial(new AttachPoint("xdp", AttachPoint.Subject.INTERFACE, "veth0"))).isPresent();
    }

    @Test
    void malformedTargetIsRejectedWithItsText() {
        var bad = new Capabilities();
        bad.setAttachTargets(List.of("eth*"));
        assertThatThrownBy(() -> CapabilityPolicy.from(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"eth*\"");
    }
}
