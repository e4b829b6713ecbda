package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the .wasm module comes from (exactly one source) and the digest it must have. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.oci) ? 1 : 0) + (has(self.https) ? 1 : 0) + (has(self.configMap) ? 1 : 0) == 1",
    message = "module: set exactly one source: oci, https or configMap")
public class ModuleSource {
  public static final String DIGEST_PATTERN = "^sha256:[0-9a-f]{64}$";

  private OciSource oci;
  private HttpsSource https;
  private ConfigMapSource configMap;

  @Required
  @Size(max = 128)
  @ValidationRule(value = "self.matches('" + DIGEST_PATTERN + "')",
      message = "module.digest must be \"sha256:\" followed by 64 lowercase hex digits, the sha256 of the .wasm file")
  private String digest;

  public OciSource getOci() { return oci; }
  public void setOci(OciSource oci) { this.oci = oci; }
  public HttpsSource getHttps() { return https; }
  public void setHttps(HttpsSource https) { this.https = https; }
  public ConfigMapSource getConfigMap() { return configMap; }
  public void setConfigMap(ConfigMapSource configMap) { this.configMap = configMap; }
  /** "sha256:" and 64 lowercase hex digits; the agent refuses a module whose bytes do not hash to it. */
  public String getDigest() { return digest; }
  public void setDigest(String digest) { this.digest = digest; }

  /** An OCI artifact, e.g. {@code registry.example.com/probes/execsnoop:1.0}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class OciSource {
    @Required
    @Size(min = 1, max = 512)
    private String reference;

    public String getReference() { return reference; }
    public void setReference(String reference) { this.reference = reference; }
  }

  /** A file served over HTTPS. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HttpsSource {
    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(value = "self.startsWith('https://')", message = "module.https.url must start with https://")
    private String url;

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
  }

  /** A key of a ConfigMap in the program's namespace (binaryData or data). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ConfigMapSource {
    @Required
    @Size(min = 1, max = 253)
    private String name;
    @Required
    @Size(min = 1, max = 253)
    private String key;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
  }
}
