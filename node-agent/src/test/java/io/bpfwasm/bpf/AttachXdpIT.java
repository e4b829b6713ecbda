package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.Shell;
import io.bpfwasm.runtime.VethPair;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * XDP links with a mode ({@code <interface>[:generic|:native]}) on a veth end whose peer is in a network namespace
 * the test creates: the kernel reports the mode asked for, packets are counted, and after close the interface has no
 * XDP program and the link is gone.
 */
class AttachXdpIT {
    private static final int PACKETS = 20;
    /** IFLA_XDP_ATTACHED as `ip -j -d link` prints it: {"mode":1 (driver) or 2 (generic),"prog":{"id":N,...}}. */
    private static final Pattern XDP_STATE = Pattern.compile("\"xdp\":\\{\"mode\":(\\d+),\"prog\":\\{\"id\":(\\d+)");
    private static final int XDP_ATTACHED_SKB = 2;

    private VethPair veth;
    private String hostEnd;

    @BeforeEach
    void vethPair() {
        veth = new VethPair("bwx", "10.213.39");
        hostEnd = veth.hostEnd();
    }

    @AfterEach
    void cleanUp() {
        veth.close();
    }

    private void sendPackets() {
        veth.sendBroadcasts(PACKETS);
    }

    private String linkState() {
        return Shell.run("ip", "-j", "-d", "link", "show", "dev", hostEnd);
    }

    private static BpfObject load() throws BpfException {
        return BpfObject.load(NativeBuild.bytes("xdpcount.bpf.o"), "xdpcount", line -> {});
    }

    @ParameterizedTest(name = "target suffix \"{0}\" -> kernel mode {1}")
    @CsvSource({"generic, 2", "skb, 2", "native, 1", "drv, 1", "'', 1"})
    void attachesInTheModeAskedForCountsAndLeavesNothingAfterClose(String mode, int kernelMode) throws Exception {
        String target = mode.isEmpty() ? hostEnd : hostEnd + ":" + mode;
        int linkId;
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            assertThat(program.attachPoint(target).toString()).isEqualTo("xdp on interface " + hostEnd);
            BpfLink link = program.attach(target);
            linkId = link.id();
            assertThat(linkId).as("kernel link id").isPositive();
            assertThat(KernelObjects.linkIds()).contains(linkId);

            Matcher state = XDP_STATE.matcher(linkState());
            assertThat(state.find()).as("XDP state of %s: %s", hostEnd, linkState()).isTrue();
            assertThat(Integer.parseInt(state.group(1))).as("mode the kernel reports").isEqualTo(kernelMode);
            assertThat(Integer.parseInt(state.group(2))).as("program on the interface").isEqualTo(program.id());

            sendPackets();
            BpfMap counters = object.map("counters");
            byte[] value = new byte[8];
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(counters.lookup(u32(0), value)).isZero();
                assertThat(readU64(value)).as("packets counted").isGreaterThanOrEqualTo(PACKETS);
            });
        }
        assertThat(linkState()).doesNotContain("\"xdp\"");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(KernelObjects.linkIds())
                .doesNotContain(linkId));
    }

    @Test
    void closingTheLinkAloneDetaches() throws Exception {
        try (BpfObject object = load()) {
            BpfLink link = object.program("count_packets").attach(hostEnd + ":generic");
            assertThat(linkState()).contains("\"xdp\"");
            link.close();
            assertThat(linkState()).doesNotContain("\"xdp\"");
            assertThat(object.links()).isEmpty();
        }
    }

    @Test
    void aBadModeWordIsNamedWithTheAcceptedWords() throws Exception {
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            String expected = "program count_packets (xdp): attach target \"" + hostEnd + ":turbo\" is not an xdp "
                    + "target: unknown XDP mode \"turbo\"; expected <interface>[:generic|:native] (aliases skb, drv)";
            assertThatThrownBy(() -> program.attach(hostEnd + ":turbo")).hasMessage(expected)
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(22);
            assertThatThrownBy(() -> program.attachPoint(hostEnd + ":turbo")).hasMessage(expected);
            assertThatThrownBy(() -> program.attach(":native")).hasMessage("program count_packets (xdp): attach "
                    + "target \":native\" is not an xdp target; expected <interface>[:generic|:native] (aliases skb, "
                    + "drv)");
            assertThatThrownBy(() -> program.attach("nosuchif0:generic"))
                    .hasMessage("program count_packets (xdp): no network interface named \"nosuchif0\"");
            assertThat(object.links()).isEmpty();
        }
        assertThat(linkState()).doesNotContain("\"xdp\"");
    }

    @Test
    void aMtuNativeXdpRefusesFailsWithoutAModeAndWorksInGenericMode() throws Exception {
        veth.mtu(9000);
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            // the kernel's choice is native (a veth has it), and it does not fall back to generic
            assertThatThrownBy(() -> program.attach(hostEnd))
                    .hasMessageEndingWith("; native XDP refuses the MTU of " + hostEnd
                            + " (use :generic or a smaller MTU)")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(34);
            program.attach(hostEnd + ":generic");
            assertThat(XDP_STATE.matcher(linkState()).results().findFirst().orElseThrow().group(1))
                    .isEqualTo(String.valueOf(XDP_ATTACHED_SKB));
        }
        assertThat(linkState()).doesNotContain("\"xdp\"");
    }

    @Test
    void kernelRefusalsSayWhatTheyMean() throws Exception {
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            assertThatThrownBy(() -> program.attach("lo:native"))
                    .hasMessageStartingWith("program count_packets (xdp): attach to \"lo:native\" failed: ")
                    .hasMessageEndingWith("; the driver of lo has no native XDP (use :generic)");

            program.attach(hostEnd + ":generic");
            try (BpfObject second = load()) {
                assertThatThrownBy(() -> second.program("count_packets").attach(hostEnd + ":native"))
                        .hasMessageStartingWith("program count_packets (xdp): attach to \"" + hostEnd
                                + ":native\" failed: ")
                        .hasMessageEndingWith("; " + hostEnd + " has an XDP program in the other mode (generic and "
                                + "native cannot be active together)");
                assertThatThrownBy(() -> second.program("count_packets").attach(hostEnd + ":generic"))
                        .hasMessageEndingWith("; " + hostEnd + " already has an XDP program in this mode");
            }
            assertThat(Integer.parseInt(XDP_STATE.matcher(linkState()).results().findFirst().orElseThrow().group(1)))
                    .as("the first attachment is untouched").isEqualTo(XDP_ATTACHED_SKB);
        }
        assertThat(linkState()).doesNotContain("\"xdp\"");
    }
}
