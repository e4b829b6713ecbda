package io.bpfwasm.agent.source;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads a module from a key of a ConfigMap in the program's namespace: binaryData first, then data. */
public final class ConfigMapFetcher {
    private final KubernetesClient client;

    public ConfigMapFetcher(KubernetesClient client) {
        this.client = client;
    }

    public byte[] fetch(String namespace, String name, String key) throws SourceException {
        String what = "configMap " + namespace + "/" + name + " key " + key;
        ConfigMap map;
        try {
            map = client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new SourceException(what + ": cannot read it: " + e.getMessage(), e);
        }
        if (map == null) {
            throw new SourceException(what + ": no such ConfigMap");
        }
        if (map.getBinaryData() != null && map.getBinaryData().containsKey(key)) {
            try {
                return Base64.getDecoder().decode(map.getBinaryData().get(key));
            } catch (IllegalArgumentException e) {
                throw new SourceException(what + ": binaryData is not base64: " + e.getMessage());
            }
        }
        if (map.getData() != null && map.getData().containsKey(key)) {
            return map.getData().get(key).getBytes(StandardCharsets.UTF_8);
        }
        throw new SourceException(what + ": the ConfigMap has no such key in binaryData or data");
    }
}
