package io.bpfwasm.runtime.wasibpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.AttachPoint.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttachPolicyTest {
    static final AttachPoint TRACEPOINT = new AttachPoint("tracepoint", Subject.NONE, "");

    @Test
    void thePermissivePolicyAllowsEveryKindAndObject() {
        var p = AttachPolicy.PERMISSIVE;
        assertThat(p.denial(TRACEPOINT)).isEmpty();
        assertThat(p.denial(new AttachPoint("xdp", Subject.INTERFACE, "eth0"))).isEmpty();
        assertThat(p.denial(new AttachPoint("cgroup_skb", Subject.CGROUP, "/sys/fs/cgroup/unified/a/b"))).isEmpty();
        assertThat(p.denial(new AttachPoint("uprobe", Subject.BINARY, "/usr/lib/x86_64-linux-gnu/libc.so.6")))
                .isEmpty();
        assertThat(p.denial(new AttachPoint("uprobe", Subject.BINARY, "libc.so.6"))).isEmpty();
        assertThat(p).hasToString("types=*; targets=interface:**,cgroup:**,binary:**");
    }

    @Test
    void typesAreCheckedFirstThenTheObjectAgainstThePatternsOfItsClass() {
        var p = AttachPolicy.of(List.of("tracepoint", "xdp", "cgroup_skb"),
                List.of("interface:veth*", "cgroup:/sys/fs/cgroup/unified/apps/*"));
        assertThat(p.denial(TRACEPOINT)).isEmpty();
        assertThat(p.denial(new AttachPoint("uprobe", Subject.BINARY, "/bin/sh")))
                .contains("program type uprobe is not allowed (allowed: cgroup_skb,tracepoint,xdp)");
        assertThat(p.denial(new AttachPoint("xdp", Subject.INTERFACE, "veth12"))).isEmpty();
        assertThat(p.denial(new AttachPoint("xdp", Subject.INTERFACE, "eth0"))).contains("interface eth0 is not an "
                + "allowed xdp target (allowed: interface:veth*,cgroup:/sys/fs/cgroup/unified/apps/*)");
        // a cgroup path matching an interface pattern is still not an allowed cgroup
        assertThat(p.denial(new AttachPoint("cgroup_skb", Subject.CGROUP, "veth1"))).isPresent();
        assertThat(p.denial(new AttachPoint("cgroup_skb", Subject.CGROUP, "/sys/fs/cgroup/unified/apps/web")))
                .isEmpty();
        // '*' stays within one path component
        assertThat(p.denial(new AttachPoint("cgroup_skb", Subject.CGROUP, "/sys/fs/cgroup/unified/apps/web/x")))
                .isPresent();
    }

    @Test
    void noTargetsMeansNoObjectIsAllowed() {
        var p = AttachPolicy.of(List.of("*"), List.of());
        assertThat(p.denial(TRACEPOINT)).isEmpty();
        assertThat(p.denial(new AttachPoint("xdp", Subject.INTERFACE, "lo"))).contains("interface lo is not an allowed"
                + " xdp target (allowed: none)");
    }

    @Test
    void malformedEntriesAreRejectedByName() {
        assertThatThrownBy(() -> AttachPolicy.of(List.of("*"), List.of("veth*")))
                .hasMessage("attach target pattern \"veth*\": expected interface:<glob>, cgroup:<glob> or binary:<glob>");
        assertThatThrownBy(() -> AttachPolicy.of(List.of("*"), List.of("device:eth0")))
                .hasMessageStartingWith("attach target pattern \"device:eth0\"");
        assertThatThrownBy(() -> AttachPolicy.of(List.of("*"), List.of("interface:")))
                .hasMessageStartingWith("attach target pattern \"interface:\"");
        assertThatThrownBy(() -> AttachPolicy.of(List.of(" "), List.of())).hasMessage("attach type: empty name");
    }
}
