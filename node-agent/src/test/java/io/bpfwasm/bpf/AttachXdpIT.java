package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.Shell;
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
    private static final String SUFFIX = String.valueOf(ProcessHandle.current().pid() % 100000);
    private static final String NETNS = "bwxdp" + SUFFIX;
    private static final String HOST_END = "bwx" + SUFFIX + "a";
    private static final String PEER_END = "bwx" + SUFFIX + "b";
    private static final int PACKETS = 20;
    /** IFLA_XDP_ATTACHED as `ip -j -d link` prints it: {"mode":1 (driver) or 2 (generic),"prog":{"id":N,...}}. */
    private static final Pattern XDP_STATE = Pattern.compile("\"xdp\":\\{\"mode\":(\\d+),\"prog\":\\{\"id\":(\\d+)");
    private static final int XDP_ATTACHED_SKB = 2;

    @BeforeEach
    void vethPair() {
        Shell.run("ip", "netns", "add", NETNS);
        Shell.run("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", PEER_END);
        Shell.run("ip", "link", "set", PEER_END, "netns", NETNS);
        Shell.run("ip", "link", "set", HOST_END, "up");
        Shell.run("ip", "netns", "exec", NETNS, "ip", "addr", "add", "10.213.39.2/24", "dev", PEER_END);
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
                for _ in range(%d): s.sendto(b"x" * 64, ("10.213.39.255", 9))
                """.formatted(PACKETS));
    }

    private static String linkState() {
        return Shell.run("ip", "-j", "-d", "link", "show", "dev", HOST_END);
    }

    private static BpfObject load() throws BpfException {
        return BpfObject.load(NativeBuild.bytes("xdpcount.bpf.o"), "xdpcount", line -> {});
    }

    @ParameterizedTest(name = "target suffix \"{0}\" -> kernel mode {1}")
    @CsvSource({"generic, 2", "skb, 2", "native, 1", "drv, 1", "'', 1"})
    void attachesInTheModeAskedForCountsAndLeavesNothingAfterClose(String mode, int kernelMode) throws Exception {
        String target = mode.isEmpty() ? HOST_END : HOST_END + ":" + mode;
        int linkId;
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            assertThat(program.attachPoint(target).toString()).isEqualTo("xdp on interface " + HOST_END);
            BpfLink link = program.attach(target);
            linkId = link.id();
            assertThat(linkId).as("kernel link id").isPositive();
            assertThat(KernelObjects.linkIds()).contains(linkId);

            Matcher state = XDP_STATE.matcher(linkState());
            assertThat(state.find()).as("XDP state of %s: %s", HOST_END, linkState()).isTrue();
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
            BpfLink link = object.program("count_packets").attach(HOST_END + ":generic");
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
            String expected = "program count_packets (xdp): attach target \"" + HOST_END + ":turbo\" is not an xdp "
                    + "target: unknown XDP mode \"turbo\"; expected <interface>[:generic|:native] (aliases skb, drv)";
            assertThatThrownBy(() -> program.attach(HOST_END + ":turbo")).hasMessage(expected)
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(22);
            assertThatThrownBy(() -> program.attachPoint(HOST_END + ":turbo")).hasMessage(expected);
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
        Shell.run("ip", "link", "set", HOST_END, "mtu", "9000");
        Shell.run("ip", "netns", "exec", NETNS, "ip", "link", "set", PEER_END, "mtu", "9000");
        try (BpfObject object = load()) {
            BpfProgram program = object.program("count_packets");
            // the kernel's choice is native (a veth has it), and it does not fall back to generic
            assertThatThrownBy(() -> program.attach(HOST_END))
                    .hasMessageEndingWith("; native XDP refuses the MTU of " + HOST_END
                            + " (use :generic or a smaller MTU)")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(34);
            program.attach(HOST_END + ":generic");
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

            program.attach(HOST_END + ":generic");
            try (BpfObject second = load()) {
                assertThatThrownBy(() -> second.program("count_packets").attach(HOST_END + ":native"))
                        .hasMessageStartingWith("program count_packets (xdp): attach to \"" + HOST_END
                                + ":native\" failed: ")
                        .hasMessageEndingWith("; " + HOST_END + " has an XDP program in the other mode (generic and "
                                + "native cannot be active together)");
                assertThatThrownBy(() -> second.program("count_packets").attach(HOST_END + ":generic"))
                        .hasMessageEndingWith("; " + HOST_END + " already has an XDP program in this mode");
            }
            assertThat(Integer.parseInt(XDP_STATE.matcher(linkState()).results().findFirst().orElseThrow().group(1)))
                    .as("the first attachment is untouched").isEqualTo(XDP_ATTACHED_SKB);
        }
        assertThat(linkState()).doesNotContain("\"xdp\"");
    }
}
