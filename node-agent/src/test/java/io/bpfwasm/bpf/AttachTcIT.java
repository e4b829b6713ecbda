package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.BpfFds;
import io.bpfwasm.runtime.Shell;
import io.bpfwasm.runtime.VethPair;
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
    private static final int PACKETS = 20;
    private static final long SELF = ProcessHandle.current().pid();
    private VethPair veth;
    private String hostEnd;

    @BeforeEach
    void vethPair() {
        veth = new VethPair("bwt", "10.213.29");
        hostEnd = veth.hostEnd();
    }

    @AfterEach
    void cleanUp() {
        veth.close();
    }

    /** UDP broadcasts from the peer namespace: they arrive at the host end (its ingress). */
    private void receivePackets() {
        veth.sendBroadcasts(PACKETS);
    }

    /** UDP broadcasts sent out of the host end (its egress). */
    private void sendPackets() {
        veth.sendBroadcastsFromHostEnd(PACKETS);
    }

    private String qdiscs() {
        return Shell.run("tc", "qdisc", "show", "dev", hostEnd);
    }

    private String ingressFilters() {
        return Shell.run("tc", "filter", "show", "dev", hostEnd, "ingress");
    }

    private int ifindex() throws Exception {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", hostEnd, "ifindex")).strip());
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
            assertThat(program.attachPoint(hostEnd + ":ingress").toString()).isEqualTo("tc on interface " + hostEnd);
            BpfLink link = program.attach(hostEnd + ":ingress");

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
            BpfLink link = object.program("count_tc").attach(hostEnd + ":egress");
            assertThat(linkOfThisProcess(link.id()).attachType()).isEqualTo("47 (egress)");
            sendPackets();
            awaitCounted(object);
        }
        assertThat(qdiscs()).doesNotContain("clsact");
    }

    @Test
    void aTcxLinkLeavesAnExistingClsactQdiscAlone() throws Exception {
        Shell.run("tc", "qdisc", "add", "dev", hostEnd, "clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(hostEnd);
            assertThat(linkOfThisProcess(link.id()).attachType()).as("ingress by default").isEqualTo("46 (ingress)");
            assertThat(ingressFilters()).as("no filter on the qdisc").doesNotContain("count_tc");
        }
        assertThat(qdiscs()).contains("clsact");
    }

    @Test
    void theSameProgramTwiceOnOneHookIsRefusedWithTheReason() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfProgram program = object.program("count_tc");
            program.attach(hostEnd);
            assertThatThrownBy(() -> program.attach(hostEnd + ":ingress")).isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("program count_tc (tc): attach to \"" + hostEnd + ":ingress\" failed: ")
                    .hasMessageEndingWith("; the program is already attached there");
            assertThat(object.links()).hasSize(1);
        }
    }

    @Test
    void theFilterPathCountsIngressPacketsAndRemovesTheQdiscItCreated() throws Exception {
        assertThat(qdiscs()).doesNotContain("clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(hostEnd + ":ingress", TcPath.FILTER);
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
        Shell.run("tc", "qdisc", "add", "dev", hostEnd, "clsact");
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_tc.bpf.o"), "tc", line -> {})) {
            BpfLink link = object.program("count_tc").attach(hostEnd, TcPath.FILTER);
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
            assertThatThrownBy(() -> program.attach(hostEnd + ":sideways")).hasMessage("program count_tc (tc): "
                    + "attach target \"" + hostEnd + ":sideways\" is not a tc target; expected "
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
