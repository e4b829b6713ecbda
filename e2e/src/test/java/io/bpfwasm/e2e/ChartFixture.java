package io.bpfwasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart under test, its test values and rendering it with helm template. */
final class ChartFixture {
  static final String RELEASE = "bpfwasm";
  static final String NAMESPACE = "bpfwasm-system";

  private ChartFixture() {}

  static String chart() {
    return Repository.chart().toString();
  }

  /** Non-default values for every value a platform team commonly changes. */
  static String customValues() {
    try {
      return resource("helm/custom-values.yaml").toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path resource(String name) throws URISyntaxException {
    URL url = ChartFixture.class.getClassLoader().getResource(name);
    assertThat(url).as("test resource %s", name).isNotNull();
    return Path.of(url.toURI());
  }

  /** {@code helm template} of release {@value #RELEASE} in {@value #NAMESPACE} with {@code extra} arguments. */
  static RenderedManifests render(Helm helm, String... extra) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, chart(), "-n", NAMESPACE));
    args.addAll(List.of(extra));
    CommandResult template = helm.run(args);
    assertThat(template.succeeded()).as(template.describe()).isTrue();
    return RenderedManifests.parse(template.stdout());
  }
}
