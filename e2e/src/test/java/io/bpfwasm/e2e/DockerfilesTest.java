package io.bpfwasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the images cannot be built in CI. These checks catch the drift that would break
 * them: a renamed jar, a base image that is not the Java 25 JRE, a user that differs from what the chart enforces.
 */
class DockerfilesTest {
  private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");

  @Test
  void operatorImageRunsTheShadedJarOnJre25AsTheChartsNonRootUser() throws IOException {
    Path module = Repository.root().resolve("operator");
    List<String> lines = instructions(module.resolve("Dockerfile"));
    String jar = shadedJar(module);

    assertThat(lines).as("base image").first().isEqualTo("FROM eclipse-temurin:25-jre");
    assertThat(lines).contains("COPY target/" + jar + " /opt/bpfwasm/" + jar);
    assertThat(lines).filteredOn(l -> l.startsWith("ENTRYPOINT")).singleElement().asString()
        .contains("\"-jar\", \"/opt/bpfwasm/" + jar + "\"");
    assertThat(lines).contains("USER 65532:65532");
    assertThat(lines).contains("EXPOSE 8080");

    String deployment = Files.readString(Repository.chart().resolve("templates/operator/deployment.yaml"));
    assertThat(deployment).as("the chart runs the operator as the image's user")
        .contains("runAsNonRoot: true").contains("runAsUser: 65532").contains("runAsGroup: 65532");
    assertThat(Files.readString(Repository.chart().resolve("values.yaml")))
        .as("the chart's default operator port is the image's EXPOSE").contains("httpPort: 8080");
  }

  @Test
  void agentImageRunsTheShadedJarOnJre25WithLibbpf() throws IOException {
    Path module = Repository.root().resolve("node-agent");
    List<String> lines = instructions(module.resolve("Dockerfile"));
    String jar = shadedJar(module);

    assertThat(lines).as("the JRE comes from the Temurin 25 image").contains("FROM eclipse-temurin:25-jre AS jre");
    assertThat(lines).contains("COPY --from=jre /opt/java/openjdk /opt/java/openjdk");
    assertThat(lines).anyMatch(l -> l.startsWith("RUN ") && l.contains("libbpf1"));
    assertThat(lines).contains("COPY target/" + jar + " /opt/bpfwasm/" + jar);
    assertThat(lines).filteredOn(l -> l.startsWith("ENTRYPOINT")).singleElement().asString()
        .contains("\"-jar\", \"/opt/bpfwasm/" + jar + "\"");
    // Root holding only the capabilities the DaemonSet adds; a USER line would silently drop them.
    assertThat(lines).noneMatch(l -> l.startsWith("USER "));
    assertThat(lines).contains("EXPOSE 8090");
  }

  /** The jar name the module's shade plugin writes, from its pom's finalName. */
  private static String shadedJar(Path module) throws IOException {
    Matcher m = FINAL_NAME.matcher(Files.readString(module.resolve("pom.xml")));
    assertThat(m.find()).as("%s/pom.xml sets the shaded jar's finalName", module).isTrue();
    return m.group(1) + ".jar";
  }

  /** Dockerfile instructions with continuation lines joined and comments dropped. */
  private static List<String> instructions(Path dockerfile) throws IOException {
    String joined = Files.readString(dockerfile).replaceAll("(?m)^\\s*#.*\\n", "").replace("\\\n", " ");
    return joined.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.replaceAll("\\s+", " ")).toList();
  }
}
