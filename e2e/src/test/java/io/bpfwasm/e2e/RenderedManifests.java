package io.bpfwasm.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** The objects of a multi-document YAML stream (helm template output), as JSON trees. */
final class RenderedManifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<JsonNode> objects;

  private RenderedManifests(List<JsonNode> objects) {
    this.objects = objects;
  }

  static RenderedManifests parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        // helm prints "---" before templates that render to nothing (only comments).
        if (document != null && document.isObject() && document.has("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered manifests are not YAML", e);
    }
    return new RenderedManifests(objects);
  }

  List<JsonNode> all() {
    return objects;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The one object of {@code kind} named {@code name}; fails naming what exists when absent. */
  JsonNode get(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; have " + names()));
  }

  /** "Kind/name" (or "Kind/namespace/name") of every object, for messages. */
  List<String> names() {
    return objects.stream().map(RenderedManifests::describe).toList();
  }

  static String describe(JsonNode object) {
    String namespace = object.path("metadata").path("namespace").asText("");
    return object.path("kind").asText() + "/" + (namespace.isEmpty() ? "" : namespace + "/")
        + object.path("metadata").path("name").asText();
  }

  /** The text values of an array node (e.g. container args). */
  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** Environment variables of a container: literal values, or "fieldRef:<path>" for downward API ones. */
  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode variable : container.path("env")) {
      String fieldPath = variable.path("valueFrom").path("fieldRef").path("fieldPath").asText("");
      env.put(variable.path("name").asText(), fieldPath.isEmpty() ? variable.path("value").asText()
          : "fieldRef:" + fieldPath);
    }
    return env;
  }

}
