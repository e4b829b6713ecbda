package io.bpfwasm.operator;

import java.time.Duration;
import java.util.Set;

/**
 * How one operator instance runs. {@link OperatorMain} fills it from flags and environment variables; tests build it
 * directly.
 *
 * @param namespaces namespaces whose programs to reconcile; empty means all
 * @param leaderElection whether to run only while holding the Lease {@code leaseNamespace/leaseName}
 * @param identity this instance's name in the Lease (the pod name in a cluster)
 * @param exitOnLostLease exit the JVM when leadership is lost, so a restarted pod starts clean (off in tests)
 * @param workers concurrent reconciliations
 */
public record OperatorSettings(
    Set<String> namespaces,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean exitOnLostLease,
    int workers) {

  public static final String DEFAULT_LEASE_NAME = "bpfwasm-operator";

  /** Defaults for an instance named {@code identity} whose Lease lives in {@code leaseNamespace}. */
  public static OperatorSettings defaults(String identity, String leaseNamespace) {
    return new OperatorSettings(Set.of(), true, DEFAULT_LEASE_NAME, leaseNamespace, identity,
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), true, 10);
  }

  public OperatorSettings withLeaseName(String name) {
    return new OperatorSettings(namespaces, leaderElection, name, leaseNamespace, identity, leaseDuration,
        renewDeadline, retryPeriod, exitOnLostLease, workers);
  }

  public OperatorSettings withLeaderElection(boolean enabled) {
    return new OperatorSettings(namespaces, enabled, leaseName, leaseNamespace, identity, leaseDuration,
        renewDeadline, retryPeriod, exitOnLostLease, workers);
  }

  public OperatorSettings withLeaseTimings(Duration duration, Duration renew, Duration retry) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, identity, duration, renew,
        retry, exitOnLostLease, workers);
  }

  public OperatorSettings withExitOnLostLease(boolean exit) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, identity, leaseDuration,
        renewDeadline, retryPeriod, exit, workers);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(Set.copyOf(watched), leaderElection, leaseName, leaseNamespace, identity,
        leaseDuration, renewDeadline, retryPeriod, exitOnLostLease, workers);
  }

  public OperatorSettings withWorkers(int count) {
    return new OperatorSettings(namespaces, leaderElection, leaseName, leaseNamespace, identity, leaseDuration,
        renewDeadline, retryPeriod, exitOnLostLease, count);
  }
}
