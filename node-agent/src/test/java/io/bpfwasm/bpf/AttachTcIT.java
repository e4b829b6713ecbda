package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.Shell;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tc classifiers on a veth end whose peer is in a network namespace the test creates: packets are counted, and on
 * close the filter goes, and the clsact qdisc goes only when the attachment created it.
 */
class AttachTcIT {
    private static final String SUFFIX = String.valueOf(ProcessHandle.current().pid() % 100000);
    private static final String NETNS = "bwtc" + SUFFIX;
    private static final String HOST_END = "bwt" + SUFFIX + "a";
    private static final String PEER_END = "bwt" + SUFFIX + "b";
    private static final int PACKETS = 20;

    @BeforeEach
    void vethPair() {
        Shell.run("ip", "netns", "add", NETNS);
        Shell.run("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", PEER_END);
        Shell.run("ip", "link", "set", PEER_END, "netns", NETNS);
        Shell.run("ip", "link", "set", HOST_END, "up");
        Shell.run("ip", "netns", "exec", NETNS, "ip", "addr", "add", "10.213.29.2/24", "dev", PEER_END);
        Shell.run("ip", "netns", "exec", NETNS, "ip", "link", "set", PEER_END, "up");
    }

    @AfterEach
    void cleanUp() {
        Shell.quietly("ip", "link", "del", HOST_END);
        Shell.quietly("ip", "netns", "del", NETNS);
    }

    private static void sendPackets() {
        Shell.run("ip", "netns", "exec", NETNS, "python3", "-c", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                for _ in range(%d): s.sendto(b"x" * 64, ("10.213.29.255", 9))
                """.formatted(PACKETS));
    }

    private static String qdiscs() {
        return Shell.run("tc", "qdisc", "show", "dev", HOST_END);
    }

    private static String ingressFilters() {
        return Shell.run("tc", "filter", "show", "dev", HOST_END, "ingress");
    }

    @Test
    void countsIngressPacketsAndRemovesTheQdiscItCreated() throws Exception {
        assertThat(qdiscs()).doesNotContain("clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfProgram program = object.program("count_tc");
            assertThat(program.attachPoint(HOST_END + ":ingress").toString()).isEqualTo("tc on interface " + HOST_END);
            program.attach(HOST_END + ":ingress");
            assertThat(qdiscs()).contains("clsact");
            assertThat(ingressFilters()).contains("count_tc");
            sendPackets();
            BpfMap packets = object.map("packets");
            byte[] value = new byte[8];
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(packets.lookup(u32(0), value)).isZero();
                assertThat(readU64(value)).as("packets counted").isGreaterThanOrEqualTo(PACKETS);
            });
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }

    @Test
    void leavesAQdiscThatExistedButRemovesItsFilter() throws Exception {
        Shell.run("tc", "qdisc", "add", "dev", HOST_END, "clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(HOST_END);
            assertThat(link.id()).as("tc filters have no kernel link").isEqualTo(-1);
            assertThat(ingressFilters()).contains("count_tc");
            link.close();
            assertThat(ingressFilters()).doesNotContain("count_tc");
        }
        assertThat(qdiscs()).contains("clsact");
    }

    @Test
    void badTargetsAreNamed() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfProgram program = object.program("count_tc");
            assertThatThrownBy(() -> program.attach(HOST_END + ":sideways")).hasMessage("program count_tc (tc): "
                    + "attach target \"" + HOST_END + ":sideways\" is not a tc target; expected "
                    + "<interface>[:ingress|:egress]");
            assertThatThrownBy(() -> program.attach("nosuchif0:egress"))
                    .hasMessage("program count_tc (tc): no network interface named \"nosuchif0\"");
            assertThatThrownBy(() -> program.attach(null)).hasMessage("program count_tc (tc): a sched_cls program "
                    + "needs an attach target: <interface>[:ingress|:egress]");
            assertThat(object.links()).isEmpty();
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }
}
