package io.bpfwasm.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The BPF programs, maps and links a process holds open, read from /proc/<pid>/fd and fdinfo (which give each
 * object's kernel id): exactly what the kernel releases when the process dies, unless something else holds it.
 *
 * @param programIds ids of the programs (anon_inode:bpf-prog)
 * @param mapIds ids of the maps (anon_inode:bpf-map)
 * @param links the links (anon_inode:bpf_link)
 */
public record BpfFds(Set<Integer> programIds, Set<Integer> mapIds, List<Link> links) {
    /**
     * A link as its fdinfo describes it.
     *
     * @param type the kernel's link type word ("tcx", "xdp", "perf_event", ...)
     * @param ifindex the interface of a network link, else 0
     * @param attachType the attach type line of a tcx link, e.g. "46 (ingress)", else ""
     */
    public record Link(int id, String type, int programId, int ifindex, String attachType) {}

    public static BpfFds of(long pid) {
        Set<Integer> programs = new HashSet<>();
        Set<Integer> maps = new HashSet<>();
        List<Link> links = new ArrayList<>();
        Path proc = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                String kind;
                Map<String, String> info;
                try {
                    kind = Files.readSymbolicLink(fd).toString();
                    if (!kind.startsWith("anon_inode:bpf")) {
                        continue;
                    }
                    info = fdinfo(proc.resolve("fdinfo").resolve(fd.getFileName()));
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                switch (kind) {
                    case "anon_inode:bpf-prog" -> programs.add(Integer.parseInt(info.get("prog_id")));
                    case "anon_inode:bpf-map" -> maps.add(Integer.parseInt(info.get("map_id")));
                    case "anon_inode:bpf_link" -> links.add(new Link(Integer.parseInt(info.get("link_id")),
                            info.get("link_type"), Integer.parseInt(info.getOrDefault("prog_id", "0")),
                            Integer.parseInt(info.getOrDefault("ifindex", "0")), info.getOrDefault("attach_type", "")));
                    default -> { } // other BPF fds (e.g. BTF)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading the fds of process " + pid + ": " + e.getMessage(), e);
        }
        return new BpfFds(programs, maps, links);
    }

    /** The links of the given kernel link type. */
    public List<Link> links(String type) {
        return links.stream().filter(l -> l.type().equals(type)).toList();
    }

    private static Map<String, String> fdinfo(Path file) throws IOException {
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }
}
