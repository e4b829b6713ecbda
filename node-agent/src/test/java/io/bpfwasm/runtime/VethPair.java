package io.bpfwasm.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A veth pair for attach tests: the host end in this network namespace (up, no address), the peer end in a network
 * namespace made for it with an address in a /24, so a broadcast sent from the peer namespace arrives at the host end.
 * Closing deletes both (ignoring what is already gone).
 */
public final class VethPair implements AutoCloseable {
    private final String namespace;
    private final String hostEnd;
    private final String peerEnd;
    private final String subnet;

    /**
     * @param prefix a short word for the names (at most 6 characters: interface names have 15)
     * @param subnet the first three octets of the peer's /24, e.g. "10.213.19"
     */
    public VethPair(String prefix, String subnet) {
        String suffix = String.valueOf(ProcessHandle.current().pid() % 100000);
        this.namespace = prefix + "ns" + suffix;
        this.hostEnd = prefix + suffix + "a";
        this.peerEnd = prefix + suffix + "b";
        this.subnet = subnet;
        Shell.run("ip", "netns", "add", namespace);
        Shell.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", peerEnd);
        Shell.run("ip", "link", "set", peerEnd, "netns", namespace);
        Shell.run("ip", "addr", "add", subnet + ".1/24", "dev", hostEnd);
        Shell.run("ip", "link", "set", hostEnd, "up");
        Shell.run("ip", "netns", "exec", namespace, "ip", "addr", "add", subnet + ".2/24", "dev", peerEnd);
        Shell.run("ip", "netns", "exec", namespace, "ip", "link", "set", peerEnd, "up");
    }

    /** The end in this network namespace, where the programs attach. */
    public String hostEnd() {
        return hostEnd;
    }

    /** Sends count 64-byte UDP broadcasts from the peer namespace; each arrives at the host end (its ingress). */
    public void sendBroadcasts(int count) {
        broadcast(count, List.of("ip", "netns", "exec", namespace), "");
    }

    /** Sends count 64-byte UDP broadcasts out of the host end (its egress). */
    public void sendBroadcastsFromHostEnd(int count) {
        broadcast(count, List.of(), "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b\"" + hostEnd + "\")");
    }

    /** Sets the MTU of both ends. */
    public void mtu(int bytes) {
        Shell.run("ip", "link", "set", hostEnd, "mtu", String.valueOf(bytes));
        Shell.run("ip", "netns", "exec", namespace, "ip", "link", "set", peerEnd, "mtu", String.valueOf(bytes));
    }

    private void broadcast(int count, List<String> prefix, String socketSetup) {
        String script = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                %s
                for _ in range(%d): s.sendto(b"x" * 64, ("%s.255", 9))
                """.formatted(socketSetup, count, subnet);
        var command = new ArrayList<>(prefix);
        command.addAll(List.of("python3", "-c", script));
        Shell.run(command.toArray(String[]::new));
    }

    @Override
    public void close() {
        Shell.quietly("ip", "link", "del", hostEnd);
        Shell.quietly("ip", "netns", "del", namespace);
    }
}
