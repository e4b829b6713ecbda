package io.bpfwasm.cli;

import io.bpfwasm.agent.AgentHttpServer;
import io.bpfwasm.agent.AgentLogging;
import io.bpfwasm.agent.AgentSettings;
import io.bpfwasm.agent.Backoff;
import io.bpfwasm.agent.NodeAgent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpfwasm agent --node-name N ...}: the per-node agent (runs until SIGTERM). */
@Command(name = "agent", mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL,
        description = "Runs this node's BpfWasmNodeProgram assignments: fetches and verifies each module, runs it,"
                + " restarts it with backoff, reports status, and serves /metrics, /healthz and /readyz."
                + " SIGTERM stops every guest and closes every BPF object before exit.")
final class AgentCommand implements Callable<Integer> {
    private final PrintStream err;

    @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (default: $NODE_NAME, set from the downward API).")
    String nodeName;

    @Option(names = "--kubeconfig", paramLabel = "PATH",
            description = "Kubeconfig file (default: $KUBECONFIG, else in-cluster, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--http-address", paramLabel = "HOST:PORT",
            defaultValue = "${env:BPFWASM_HTTP_ADDRESS:-0.0.0.0:8090}",
            description = "Address of /metrics, /healthz and /readyz (default: $BPFWASM_HTTP_ADDRESS or ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:BPFWASM_LOG_FORMAT:-text}",
            description = "Log line format (default: $BPFWASM_LOG_FORMAT or ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--cache-dir", paramLabel = "DIR", defaultValue = "${env:BPFWASM_CACHE_DIR:-/var/lib/bpfwasm/modules}",
            description = "Verified modules, one file per digest (default: $BPFWASM_CACHE_DIR or ${DEFAULT-VALUE}).")
    Path cacheDir;

    @Option(names = "--namespaces", paramLabel = "NS[,NS...]", split = ",",
            description = "Watch only these namespaces (default: all).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--insecure-registry", paramLabel = "HOST:PORT", defaultValue = "${env:BPFWASM_INSECURE_REGISTRIES}",
            split = ",", description = "OCI registries reached over plain HTTP (repeatable; env $BPFWASM_INSECURE_REGISTRIES).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--ca-file", paramLabel = "PEM", defaultValue = "${env:BPFWASM_CA_FILE}",
            description = "Extra CA certificate(s) trusted for OCI registries and HTTPS module URLs (env $BPFWASM_CA_FILE).")
    Path caFile;

    @Option(names = "--status-interval", paramLabel = "D", defaultValue = "2s", converter = UnitConverters.DurationConverter.class,
            description = "At most one status write per assignment per this interval (default ${DEFAULT-VALUE}).")
    Duration statusInterval;

    AgentCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        AgentLogging.Format format;
        try {
            format = AgentLogging.Format.valueOf(logFormat.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return usage("--log-format must be text or json, not '" + logFormat + "'");
        }
        if (nodeName == null || nodeName.isBlank()) {
            return usage("--node-name is required (or set NODE_NAME)");
        }
        InetSocketAddress address;
        try {
            address = parseAddress(httpAddress);
        } catch (IllegalArgumentException e) {
            return usage("--http-address " + httpAddress + ": " + e.getMessage());
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            return usage("--ca-file " + caFile + ": cannot read it");
        }
        AgentLogging.configure(format);

        Config config;
        try {
            config = kubeConfig();
        } catch (IOException e) {
            err.println("bpfwasm agent: cannot read the kubeconfig: " + e.getMessage());
            return ExitCodes.NO_INPUT;
        }
        var settings = AgentSettings.defaults(nodeName, cacheDir)
                .withNamespaces(namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
                .withInsecureRegistries(new LinkedHashSet<>(insecureRegistries.stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).toList()))
                .withCaFile(caFile);
        settings = settings.withTimings(statusInterval, settings.refreshInterval(), Backoff.DEFAULT,
                settings.stableAfter());

        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
        NodeAgent agent = new NodeAgent(client, settings, meters);
        AgentHttpServer http;
        try {
            http = new AgentHttpServer(address, meters, agent::isAlive, agent::isReady);
        } catch (IOException e) {
            client.close();
            err.println("bpfwasm agent: cannot listen on " + httpAddress + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close(); // every guest stopped, every BPF object closed
            http.close();
            client.close();
            stopped.countDown();
        }, "bpfwasm-agent-shutdown"));
        agent.start();
        org.slf4j.LoggerFactory.getLogger(AgentCommand.class).info("serving /metrics, /healthz, /readyz on {}",
                http.address());
        stopped.await();
        return ExitCodes.OK;
    }

    private Config kubeConfig() throws IOException {
        Path file = kubeconfig;
        if (file == null && System.getenv("KUBECONFIG") != null && !System.getenv("KUBECONFIG").isBlank()) {
            file = Path.of(System.getenv("KUBECONFIG").split(java.io.File.pathSeparator)[0]);
        }
        if (file == null && System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            // in-cluster: the pod's service account; never a kubeconfig from the host
            System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
            return Config.autoConfigure(null);
        }
        if (file == null) {
            file = Path.of(System.getProperty("user.home"), ".kube", "config");
        }
        return Config.fromKubeconfig(null, Files.readString(file), file.toString());
    }

    static InetSocketAddress parseAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    private int usage(String message) {
        err.println("bpfwasm agent: " + message);
        return ExitCodes.USAGE;
    }
}
