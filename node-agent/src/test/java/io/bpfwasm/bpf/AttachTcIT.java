package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.BpfFds;
import io.bpfwasm.runtime.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tc classifiers on a veth end whose peer is in a network namespace the test creates. On this kernel (6.6 or later)
 * they attach as TCX links: packets are counted, no qdisc is involved, and the link is gone after close. The clsact
 * filter path older kernels take is forced with {@link TcPath#FILTER}: on close the filter goes, and the qdisc goes
 * only when the attachment created it.
 */
class AttachTcIT {
    private static final String SUFFIX = String.valueOf(ProcessHandle.current().pid() % 100000);
    private static final String NETNS = "bwtc" + SUFFIX;
    private static final String HOST_END = "bwt" + SUFFIX + "a";
    private static final String PEER_END = "bwt" + SUFFIX + "b";
    private static final String SUBNET = "10.213.29";
    private static final int PACKETS = 20;
    private static final long SELF = ProcessHandle.current().pid();

    @BeforeEach
    void vethPair() {
        Shell.run("ip", "netns", "add", NETNS);
        Shell.run("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", PEER_END);
        Shell.run("ip", "link", "set", PEER_END, "netns", NETNS);
        Shell.run("ip", "addr", "add", SUBNET + ".1/24", "dev", HOST_END);
        Shell.run("ip", "link", "set", HOST_END, "up");
        Shell.run("ip", "netns", "exec", NETNS, "ip", "addr", "add", SUBNET + ".2/24", "dev", PEER_END);
        Shell.run("ip", "netns", "exec", NETNS, "ip", "link", "set", PEER_END, "up");
    }

    @AfterEach
    void cleanUp() {
        Shell.quietly("ip", "link", "del", HOST_END);
        Shell.quietly("ip", "netns", "del", NETNS);
    }

    /** UDP broadcasts from the peer namespace: they arrive at the host end (its ingress). */
    private static void receivePackets() {
        broadcast(new String[] {"ip", "netns", "exec", NETNS}, "");
    }

    /** UDP broadcasts sent out of the host end (its egress). */
    private static void sendPackets() {
        broadcast(new String[0], "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b\"" + HOST_END + "\")");
    }

    private static void broadcast(String[] prefix, String extraSetup) {
        String script = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                %s
                for _ in range(%d): s.sendto(b"x" * 64, ("%s.255", 9))
                """.formatted(extraSetup, PACKETS, SUBNET);
        String[] command = new String[prefix.length + 3];
        System.arraycopy(prefix, 0, command, 0, prefix.length);
        command[prefix.length] = "python3";
        command[prefix.length + 1] = "-c";
        command[prefix.length + 2] = script;
        Shell.run(command);
    }

    private static String qdiscs() {
        return Shell.run("tc", "qdisc", "show", "dev", HOST_END);
    }

    private static String ingressFilters() {
        return Shell.run("tc", "filter", "show", "dev", HOST_END, "ingress");
    }

    private static int ifindex() throws Exception {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", HOST_END, "ifindex")).strip());
    }

    private static void awaitCounted(BpfObject object) throws BpfException {
        BpfMap packets = object.map("packets");
        byte[] value = new byte[8];
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(packets.lookup(u32(0), value)).isZero();
            assertThat(readU64(value)).as("packets counted").isGreaterThanOrEqualTo(PACKETS);
        });
    }

    /** The link this process holds with the given id, as the kernel describes it. */
    private static BpfFds.Link linkOfThisProcess(int id) {
        return BpfFds.of(SELF).links().stream().filter(l -> l.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("this process holds no link " + id));
    }

    @Test
    void countsIngressPacketsThroughATcxLinkWithoutAQdiscAndTheLinkGoesOnClose() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfProgram program = object.program("count_tc");
            assertThat(program.attachPoint(HOST_END + ":ingress").toString()).isEqualTo("tc on interface " + HOST_END);
            BpfLink link = program.attach(HOST_END + ":ingress");

            assertThat(link.id()).as("a TCX link has a kernel id").isPositive();
            assertThat(KernelObjects.linkIds()).contains(link.id());
            assertThat(linkOfThisProcess(link.id())).isEqualTo(
                    new BpfFds.Link(link.id(), "tcx", program.id(), ifindex(), "46 (ingress)"));
            assertThat(qdiscs()).as("no qdisc created").doesNotContain("clsact");
            receivePackets();
            awaitCounted(object);

            link.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(KernelObjects.linkIds()).doesNotContain(link.id()));
            assertThat(BpfFds.of(SELF).links()).extracting(BpfFds.Link::id).doesNotContain(link.id());
            assertThat(object.links()).isEmpty();
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }

    @Test
    void countsEgressPacketsThroughATcxLink() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(HOST_END + ":egress");
            assertThat(linkOfThisProcess(link.id()).attachType()).isEqualTo("47 (egress)");
            sendPackets();
            awaitCounted(object);
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }

    @Test
    void aTcxLinkLeavesAnExistingClsactQdiscAlone() throws Exception {
        Shell.run("tc", "qdisc", "add", "dev", HOST_END, "clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(HOST_END);
            assertThat(linkOfThisProcess(link.id()).attachType()).as("ingress by default").isEqualTo("46 (ingress)");
            assertThat(ingressFilters()).as("no filter on the qdisc").doesNotContain("count_tc");
        }
        assertThat(qdiscs()).contains("clsact");
    }

    @Test
    void theSameProgramTwiceOnOneHookIsRefusedWithTheReason() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfProgram program = object.program("count_tc");
            program.attach(HOST_END);
            assertThatThrownBy(() -> program.attach(HOST_END + ":ingress")).isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("program count_tc (tc): attach to \"" + HOST_END + ":ingress\" failed: ")
                    .hasMessageEndingWith("; the program is already attached there");
            assertThat(object.links()).hasSize(1);
        }
    }

    @Test
    void theFilterPathCountsIngressPacketsAndRemovesTheQdiscItCreated() throws Exception {
        assertThat(qdiscs()).doesNotContain("clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(HOST_END + ":ingress", TcPath.FILTER);
            assertThat(link.id()).as("tc filters have no kernel link").isEqualTo(-1);
            assertThat(BpfFds.of(SELF).links("tcx")).isEmpty();
            assertThat(qdiscs()).contains("clsact");
            assertThat(ingressFilters()).contains("count_tc");
            receivePackets();
            awaitCounted(object);
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }

    @Test
    void theFilterPathLeavesAQdiscThatExistedButRemovesItsFilter() throws Exception {
        Shell.run("tc", "qdisc", "add", "dev", HOST_END, "clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(HOST_END, TcPath.FILTER);
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
            assertThatThrownBy(() -> program.attach("nosuchif0", TcPath.FILTER))
                    .hasMessage("program count_tc (tc): no network interface named \"nosuchif0\"");
            assertThatThrownBy(() -> program.attach(null)).hasMessage("program count_tc (tc): a sched_cls program "
                    + "needs an attach target: <interface>[:ingress|:egress]");
            assertThat(object.links()).isEmpty();
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }
}
