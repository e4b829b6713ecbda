package io.bpfwasm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of {@code bpfwasm agent} and {@code bpfwasm push}: clear messages, sysexits codes, nothing started. */
class AgentAndPushCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int bpfwasm(String... args) {
        return BpfwasmCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void agentNeedsANodeName() {
        // NODE_NAME is not set in the build's environment
        assertThat(System.getenv("NODE_NAME")).isNull();
        assertThat(bpfwasm("agent")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--node-name is required (or set NODE_NAME)");
    }

    @Test
    void agentRejectsABadLogFormatAndAddress() {
        assertThat(bpfwasm("agent", "--node-name", "n", "--log-format", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--log-format must be text or json, not 'xml'");
        assertThat(bpfwasm("agent", "--node-name", "n", "--http-address", "localhost")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--http-address localhost: expected host:port");
    }

    @Test
    void agentHelpListsTheContractOptions() {
        assertThat(bpfwasm("agent", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--node-name", "--kubeconfig", "--http-address",
                "--log-format", "--cache-dir", "--namespaces", "0.0.0.0:8090", "/var/lib/bpfwasm/modules");
    }

    @Test
    void httpAddressParsing() {
        assertThat(AgentCommand.parseAddress("127.0.0.1:8090")).isEqualTo(new InetSocketAddress("127.0.0.1", 8090));
        assertThat(AgentCommand.parseAddress(":9000").getPort()).isEqualTo(9000);
        assertThat(AgentCommand.parseAddress("[::1]:80").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> AgentCommand.parseAddress("h:99999")).hasMessage("port out of range");
    }

    @Test
    void pushRefusesMissingFilesAndNonWasm(@TempDir Path dir) throws Exception {
        assertThat(bpfwasm("push", dir.resolve("none.wasm").toString(), "127.0.0.1:1/x:1")).isEqualTo(ExitCodes.NO_INPUT);
        assertThat(err()).contains("none.wasm: no such file");
        Path text = Files.writeString(dir.resolve("text.wasm"), "hello, not wasm");
        assertThat(bpfwasm("push", text.toString(), "127.0.0.1:1/x:1")).isEqualTo(ExitCodes.BAD_MODULE);
        assertThat(err()).contains("not a WebAssembly module");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void pushToAnUnreachableRegistryIsAnIoError(@TempDir Path dir) throws Exception {
        Path module = Files.write(dir.resolve("m.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        assertThat(bpfwasm("push", module.toString(), "127.0.0.1:1/probes/m:1", "--insecure"))
                .isEqualTo(PushCommand.REGISTRY_ERROR);
        assertThat(err()).contains("bpfwasm push: 127.0.0.1:1/probes/m:1: push failed");
    }
}
