package io.bpfwasm.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the agent runs.
 *
 * @param nodeName the Node whose assignments this agent runs
 * @param namespaces namespaces to watch; empty means all
 * @param cacheDir verified modules, one file per digest
 * @param insecureRegistries "host:port" of OCI registries spoken to over plain HTTP
 * @param caFile extra CA (PEM) trusted for OCI registries and HTTPS module URLs, or null
 * @param statusInterval at most one status write per assignment per this interval
 * @param refreshInterval how often a running program's counters are re-reported
 * @param backoff waits between restarts of an ended guest and between failed fetches
 * @param stableAfter a restarted guest counts as recovered (phase Running again) after running this long
 */
public record AgentSettings(String nodeName, List<String> namespaces, Path cacheDir, Set<String> insecureRegistries,
                            Path caFile, Duration statusInterval, Duration refreshInterval, Backoff backoff,
                            Duration stableAfter) {
    public AgentSettings {
        namespaces = List.copyOf(namespaces);
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static AgentSettings defaults(String nodeName, Path cacheDir) {
        return new AgentSettings(nodeName, List.of(), cacheDir, Set.of(), null, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Backoff.DEFAULT, Duration.ofSeconds(30));
    }

    public AgentSettings withInsecureRegistries(Set<String> hosts) {
        return new AgentSettings(nodeName, namespaces, cacheDir, hosts, caFile, statusInterval, refreshInterval,
                backoff, stableAfter);
    }

    public AgentSettings withCaFile(Path file) {
        return new AgentSettings(nodeName, namespaces, cacheDir, insecureRegistries, file, statusInterval,
                refreshInterval, backoff, stableAfter);
    }

    public AgentSettings withNamespaces(List<String> list) {
        return new AgentSettings(nodeName, list, cacheDir, insecureRegistries, caFile, statusInterval,
                refreshInterval, backoff, stableAfter);
    }

    public AgentSettings withTimings(Duration status, Duration refresh, Backoff retry, Duration stable) {
        return new AgentSettings(nodeName, namespaces, cacheDir, insecureRegistries, caFile, status, refresh, retry,
                stable);
    }
}
