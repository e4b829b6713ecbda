package io.bpfwasm.operator;

import io.bpfwasm.operator.reconciler.BpfWasmProgramReconciler;
import io.bpfwasm.operator.status.ProgramEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One operator instance: the JOSDK runtime with the program reconciler, leader election and metrics. */
public final class BpfWasmOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BpfWasmOperator.class);

  private final Operator operator;
  private final OperatorSettings settings;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();

  private BpfWasmOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.operator = new Operator(overrider -> {
      overrider.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.workers())
          .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).build());
      if (settings.leaderElection()) {
        overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(),
            settings.leaseNamespace(), settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(),
            settings.identity(), new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader),
            // Exiting is ours to decide (stoppedLeading): JOSDK's System.exit would also fire during a normal
            // shutdown, from inside the shutdown hook, and hang the JVM.
            false));
      }
    });
    operator.register(new BpfWasmProgramReconciler(new ProgramEvents(client, settings.identity()), Clock.systemUTC()),
        config -> {
          if (settings.namespaces().isEmpty()) {
            config.watchingAllNamespaces();
          } else {
            config.settingNamespaces(settings.namespaces());
          }
        });
    Gauge.builder("bpfwasm_operator_leader", leader, l -> l.get() ? 1 : 0)
        .description("1 while this instance holds the leader Lease")
        .tag("identity", settings.identity())
        .register(registry);
  }

  /** Starts the operator; with leader election the reconciler runs once this instance holds the Lease. */
  public static BpfWasmOperator start(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
    var instance = new BpfWasmOperator(client, settings, registry);
    instance.operator.start();
    instance.started.set(true);
    if (!settings.leaderElection()) {
      instance.leader.set(true);
    }
    log.info("operator {} started (leader election {}, namespaces {})", settings.identity(),
        settings.leaderElection() ? "on, Lease " + settings.leaseNamespace() + "/" + settings.leaseName() : "off",
        settings.namespaces().isEmpty() ? "all" : settings.namespaces());
    return instance;
  }

  private void startedLeading() {
    leader.set(true);
    log.info("operator {} is now the leader", settings.identity());
  }

  private void stoppedLeading() {
    leader.set(false);
    if (closing.get()) {
      log.info("operator {} stopped leading", settings.identity());
      return;
    }
    log.error("operator {} lost the leader Lease", settings.identity());
    if (settings.exitOnLostLease()) {
      // Another instance may already be reconciling; restart clean rather than act on stale state.
      Thread exit = new Thread(() -> System.exit(1), "lost-lease-exit");
      exit.start();
    }
  }

  private void newLeader(String identity) {
    log.info("leader is {}", identity);
  }

  public boolean isLeader() {
    return leader.get();
  }

  /** Live: started and not stopped. */
  public boolean isLive() {
    return started.get();
  }

  /**
   * Ready: started, and when leading, every informer is healthy. A standby instance is ready: it is healthy and
   * waiting for the Lease.
   */
  public boolean isReady() {
    return started.get() && (!leader.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy());
  }

  public String identity() {
    return settings.identity();
  }

  @Override
  public void close() {
    closing.set(true);
    if (started.getAndSet(false)) {
      operator.stop();
      leader.set(false);
      log.info("operator {} stopped", settings.identity());
    }
  }
}
