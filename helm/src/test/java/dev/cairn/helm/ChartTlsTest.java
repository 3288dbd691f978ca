package dev.cairn.helm;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tls.secretName}: the server mounts the kubernetes.io/tls Secret read-only and serves
 * HTTPS from it, its probes ask over HTTPS, chunkstores join over HTTPS trusting only the Secret's
 * CA, and the ServiceMonitor and Ingress speak HTTPS to the admin and S3 Services.
 * {@code tls.chunkstoreSecretName}: the nodes serve their piece ports over HTTPS from it and the
 * server requires TLS to them, trusting only that Secret's CA.
 */
class ChartTlsTest {
    private static final String ADMIN_HOST = "demo-cairn-admin.storage.svc.cluster.local";

    @TempDir
    Path dir;

    private RenderedManifests render(String yaml) throws IOException {
        Path file = dir.resolve("values-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(file, yaml);
        return HelmChartTest.render(file);
    }

    private static V1StatefulSet set(RenderedManifests m, String suffix) {
        return m.ofType(V1StatefulSet.class).stream().filter(s -> s.getMetadata().getName().endsWith(suffix))
                .findFirst().orElseThrow(() -> new AssertionError("no StatefulSet *" + suffix));
    }

    private static String env(V1Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(V1EnvVar::getValue).findFirst()
                .orElse(null);
    }

    private static V1Volume volume(V1PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }

    private static V1VolumeMount mount(V1Container c, String name) {
        return c.getVolumeMounts().stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
    }

    private static List<V1Probe> probes(V1Container c) {
        return List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe());
    }

    @Test
    void withoutASecretEverythingStaysPlainHttp() {
        RenderedManifests m = HelmChartTest.render();
        V1PodSpec serverPod = set(m, "-server").getSpec().getTemplate().getSpec();
        V1Container server = serverPod.getContainers().get(0);
        assertEquals(List.of("server"), server.getArgs());
        probes(server).forEach(p -> assertNull(p.getHttpGet().getScheme(), "HTTP probes by default"));
        assertNull(volume(serverPod, "tls"));
        V1Container node = set(m, "-chunkstore-default").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("http://" + ADMIN_HOST + ":9001", env(node, "CAIRN_JOIN"));
        assertNull(env(node, "CAIRN_CA_CERT"));
    }

    @Test
    void aTlsSecretServesHttpsProbesOverItAndChunkstoresJoinTrustingItsCa() throws IOException {
        RenderedManifests m = render("""
                tls:
                  secretName: cairn-tls
                ingress:
                  enabled: true
                  className: nginx
                metrics:
                  serviceMonitor:
                    enabled: true
                """);
        V1PodSpec serverPod = set(m, "-server").getSpec().getTemplate().getSpec();
        V1Container server = serverPod.getContainers().get(0);
        assertEquals(List.of("server", "--tls-cert", "/etc/cairn/tls/tls.crt", "--tls-key", "/etc/cairn/tls/tls.key"),
                server.getArgs());
        for (V1Probe p : probes(server)) {
            assertEquals("HTTPS", p.getHttpGet().getScheme(), "probe of " + p.getHttpGet().getPath());
            assertEquals("admin", p.getHttpGet().getPort().getStrValue());
        }
        V1Volume tls = volume(serverPod, "tls");
        assertEquals("cairn-tls", tls.getSecret().getSecretName());
        assertEquals(0440, tls.getSecret().getDefaultMode(), "the key readable by the pod's group (fsGroup) only");
        assertEquals(List.of("tls.crt", "tls.key", "ca.crt"), tls.getSecret().getItems().stream().map(i -> i.getKey())
                .toList());
        assertEquals("https://" + ADMIN_HOST + ":9001", env(server, "CAIRN_ENDPOINT"), "cairn admin in the pod");
        assertEquals("/etc/cairn/tls/ca.crt", env(server, "CAIRN_CA_CERT"));
        V1VolumeMount tlsMount = mount(server, "tls");
        assertEquals("/etc/cairn/tls", tlsMount.getMountPath());
        assertEquals(true, tlsMount.getReadOnly());
        assertNull(tlsMount.getSubPath(), "a subPath mount would never see a renewed certificate");

        V1PodSpec nodePod = set(m, "-chunkstore-default").getSpec().getTemplate().getSpec();
        V1Container node = nodePod.getContainers().get(0);
        assertEquals("https://" + ADMIN_HOST + ":9001", env(node, "CAIRN_JOIN"));
        assertEquals("/etc/cairn/tls-ca/ca.crt", env(node, "CAIRN_CA_CERT"));
        V1Volume ca = volume(nodePod, "tls-ca");
        assertEquals("cairn-tls", ca.getSecret().getSecretName());
        assertEquals(List.of("ca.crt"), ca.getSecret().getItems().stream().map(i -> i.getKey()).toList(),
                "chunkstores get the CA only, never the server's key");
        assertEquals(true, mount(node, "tls-ca").getReadOnly());
        assertNull(volume(nodePod, "tls"));

        Map<?, ?> adminEndpoint = (Map<?, ?>) ((List<?>) ((Map<?, ?>) m.custom.get(0).get("spec")).get("endpoints")).get(0);
        assertEquals("admin", adminEndpoint.get("port"));
        assertEquals("https", adminEndpoint.get("scheme"));
        assertEquals(Map.of("serverName", ADMIN_HOST, "ca", Map.of("secret", Map.of("name", "cairn-tls", "key", "ca.crt"))),
                adminEndpoint.get("tlsConfig"));

        V1Ingress ingress = m.ofType(V1Ingress.class).get(0);
        assertEquals("HTTPS", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/backend-protocol"));
    }

    @Test
    void withoutACaKeyChunkstoresTrustTheDefaultCas() throws IOException {
        RenderedManifests m = render("tls:\n  secretName: public-cert\n  caKey: \"\"\n");
        V1PodSpec nodePod = set(m, "-chunkstore-default").getSpec().getTemplate().getSpec();
        assertEquals("https://" + ADMIN_HOST + ":9001", env(nodePod.getContainers().get(0), "CAIRN_JOIN"));
        assertNull(env(nodePod.getContainers().get(0), "CAIRN_CA_CERT"));
        assertNull(volume(nodePod, "tls-ca"));
    }

    @Test
    void aNodeSecretServesThePiecePortsOverHttpsAndTheServerRequiresIt() throws IOException {
        RenderedManifests m = render("""
                tls:
                  chunkstoreSecretName: cairn-node-tls
                metrics:
                  serviceMonitor:
                    enabled: true
                """);
        V1PodSpec nodePod = set(m, "-chunkstore-default").getSpec().getTemplate().getSpec();
        V1Container node = nodePod.getContainers().get(0);
        assertEquals("/etc/cairn/node-tls/tls.crt", env(node, "CAIRN_TLS_CERT"));
        assertEquals("/etc/cairn/node-tls/tls.key", env(node, "CAIRN_TLS_KEY"));
        V1Volume nodeTls = volume(nodePod, "node-tls");
        assertEquals("cairn-node-tls", nodeTls.getSecret().getSecretName());
        assertEquals(0440, nodeTls.getSecret().getDefaultMode());
        assertEquals(List.of("tls.crt", "tls.key"), nodeTls.getSecret().getItems().stream().map(i -> i.getKey()).toList());
        assertNull(mount(node, "node-tls").getSubPath(), "a subPath mount would never see a renewed certificate");
        for (V1Probe p : probes(node)) {
            assertEquals("HTTPS", p.getHttpGet().getScheme(), "node probe of " + p.getHttpGet().getPath());
        }
        assertEquals("http://" + ADMIN_HOST + ":9001", env(node, "CAIRN_JOIN"), "the server's ports stay as they are");

        V1PodSpec serverPod = set(m, "-server").getSpec().getTemplate().getSpec();
        V1Container server = serverPod.getContainers().get(0);
        assertEquals(List.of("server", "--cluster-tls", "--cluster-ca", "/etc/cairn/node-tls-ca/ca.crt"),
                server.getArgs());
        V1Volume ca = volume(serverPod, "node-tls-ca");
        assertEquals(List.of("ca.crt"), ca.getSecret().getItems().stream().map(i -> i.getKey()).toList(),
                "the server gets the nodes' CA only, never their key");
        assertEquals("/etc/cairn/node-tls-ca", mount(server, "node-tls-ca").getMountPath());
        probes(server).forEach(p -> assertNull(p.getHttpGet().getScheme()));

        Map<?, ?> nodeEndpoint = (Map<?, ?>) ((List<?>) ((Map<?, ?>) m.custom.get(0).get("spec")).get("endpoints")).get(1);
        assertEquals("pieces", nodeEndpoint.get("port"));
        assertEquals("https", nodeEndpoint.get("scheme"));
        assertEquals(Map.of("secret", Map.of("name", "cairn-node-tls", "key", "ca.crt")),
                ((Map<?, ?>) nodeEndpoint.get("tlsConfig")).get("ca"));
    }

    @Test
    void theSchemaRefusesABadTlsValue() {
        for (String[] bad : new String[][]{
                {"tls:\n  secretName: 3\n", "secretName"},
                {"tls:\n  secretName: Not_A_Name\n", "secretName"},
                {"tls:\n  chunkstoreSecretName: Not_A_Name\n", "chunkstoreSecretName"},
                {"tls:\n  cert: x\n", "cert"}}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> render(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
