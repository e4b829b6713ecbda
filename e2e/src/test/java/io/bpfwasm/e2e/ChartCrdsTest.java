package io.bpfwasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRDs in its crds/ folder; they must be byte-for-byte the generated ones under crds/generated/
 * (which GeneratedCrdYamlTest keeps equal to the Java types). Run with -Dbpfwasm.chart.crds.update=true to copy them.
 */
class ChartCrdsTest {

  @Test
  void chartCrdsAreTheGeneratedCrds() throws IOException {
    Path generated = Repository.root().resolve("crds").resolve("generated");
    Path chartCrds = Repository.chart().resolve("crds");
    List<String> names = yamlFiles(generated);
    assertThat(names).as("CRDs in %s", generated).isNotEmpty();
    if (Boolean.getBoolean("bpfwasm.chart.crds.update")) {
      for (String name : names) {
        Files.copy(generated.resolve(name), chartCrds.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }

    assertThat(yamlFiles(chartCrds))
        .as("files in %s (a CRD removed from or added to crds/generated/ must be removed or added here too)",
            chartCrds)
        .containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(chartCrds.resolve(name)))
          .as("helm/bpfwasm/crds/%s differs from crds/generated/%s; copy it (cp crds/generated/*.yaml"
              + " helm/bpfwasm/crds/) or run mvn -pl e2e test -Dbpfwasm.chart.crds.update=true", name, name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .sorted().toList();
    }
  }
}
