package dev.cairn.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart {@code helm/cairn}, rendered offline with helm-java: {@code helm lint --strict}
 * is clean, and with the default values and with a multi-node values file the manifests load as
 * Kubernetes objects (client-java) without a single field Kubernetes does not know, and say what
 * the chart promises (joins through the admin Service, zones per pool, probes, volumes, secret).
 */
class HelmChartTest {
    private static final String RELEASE = "demo";
    private static final String NAMESPACE = "storage";

    static Path chart() {
        Path chart = Path.of(System.getProperty("cairn.chart", "cairn"));
        assertTrue(Files.isRegularFile(chart.resolve("Chart.yaml")), "no chart at " + chart.toAbsolutePath());
        return chart;
    }

    private static Path multiNodeValues() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(HelmChartTest.class.getResource("/multi-node-values.yaml")).toURI());
    }

    /**
     * {@code helm template} of the chart. helm-java's template (unlike the helm CLI's) lets
     * {@code lookup} reach for a cluster and fail without one, so renders here turn lookup off;
     * {@code helm lint} renders the chart with it on.
     */
    static RenderedManifests render(Path... valuesFiles) {
        var template = new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .set("auth.lookup", false);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        return new RenderedManifests(template.call());
    }

    private static V1StatefulSet statefulSet(RenderedManifests m, String name) {
        return m.ofType(V1StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no StatefulSet " + name));
    }

    private static String env(V1Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(V1EnvVar::getValue).findFirst()
                .orElse(null);
    }

    @Test
    void chartPassesHelmLintStrict() {
        LintResult lint = new Helm(chart()).lint().strict().call();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
    }

    @Test
    void defaultValuesRenderKnownKubernetesObjectsOnly() {
        RenderedManifests m = render();

        assertEquals(List.of(), m.custom, "no ServiceMonitor unless enabled");
        assertEquals(List.of(), m.ofType(V1ConfigMap.class), "no dashboard unless enabled");
        assertEquals(List.of("demo-cairn-s3", "demo-cairn-admin", "demo-cairn-chunkstore"),
                m.ofType(V1Service.class).stream().map(s -> s.getMetadata().getName()).toList());
        assertEquals("None", m.ofType(V1Service.class).get(2).getSpec().getClusterIP(), "headless node Service");

        V1StatefulSet server = statefulSet(m, "demo-cairn-server");
        V1Container s = server.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("server"), s.getArgs());
        assertEquals("/health/ready", s.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/health/live", s.getLivenessProbe().getHttpGet().getPath());
        assertEquals("10Gi", server.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources()
                .getRequests().get("storage").toSuffixedString());
        assertEquals("0", env(s, "CAIRN_CHUNKSTORES"));

        V1StatefulSet nodes = statefulSet(m, "demo-cairn-chunkstore-default");
        assertEquals(3, nodes.getSpec().getReplicas());
        assertEquals("demo-cairn-chunkstore", nodes.getSpec().getServiceName());
        V1Container c = nodes.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(List.of("chunkstore"), c.getArgs());
        assertEquals("http://demo-cairn-admin.storage.svc.cluster.local:9001", env(c, "CAIRN_JOIN"));
        assertEquals("$(POD_NAME).demo-cairn-chunkstore.storage.svc.cluster.local", env(c, "CAIRN_ADVERTISE_HOST"));
        assertNull(env(c, "CAIRN_ZONE"), "no zone unless the pool has one");
        assertEquals("100Gi", nodes.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources()
                .getRequests().get("storage").toSuffixedString());

        V1Secret secret = m.ofType(V1Secret.class).get(0);
        assertEquals(20, secret.getData().get("root-access-key").length, "generated access key");
        assertEquals(40, secret.getData().get("root-secret-key").length, "generated secret key");
        assertEquals(48, secret.getData().get("cluster-secret").length, "generated cluster secret");
        assertEquals(1, m.ofType(V1PodDisruptionBudget.class).size());
    }

    @Test
    void multiNodeValuesRenderZonedPoolsMonitoringAndTheDashboard() throws Exception {
        RenderedManifests m = render(multiNodeValues());

        for (String pool : List.of("a", "b", "c")) {
            V1StatefulSet set = statefulSet(m, "demo-cairn-chunkstore-" + pool);
            assertEquals(2, set.getSpec().getReplicas());
            var pod = set.getSpec().getTemplate().getSpec();
            assertEquals("us-east-1" + pool, env(pod.getContainers().get(0), "CAIRN_ZONE"));
            assertEquals(Map.of("topology.kubernetes.io/zone", "us-east-1" + pool), pod.getNodeSelector());
            assertEquals("900GiB", env(pod.getContainers().get(0), "CAIRN_CAPACITY"));
            assertEquals(pool.equals("c") ? "standard-hdd-c" : "standard-hdd",
                    set.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName());
        }
        V1Container server = statefulSet(m, "demo-cairn-server").getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        assertEquals(List.of("server", "--chunk-size", "8MiB"), server.getArgs());
        assertEquals("rs4+2", env(server, "CAIRN_PROTECTION"));
        assertEquals("LoadBalancer", m.ofType(V1Service.class).get(0).getSpec().getType());
        assertEquals("CAIRNEXAMPLEACCESS01", new String(m.ofType(V1Secret.class).get(0).getData()
                .get("root-access-key"), StandardCharsets.UTF_8));

        assertEquals(1, m.custom.size());
        Map<String, Object> monitor = m.custom.get(0);
        assertEquals("monitoring.coreos.com/v1", monitor.get("apiVersion"));
        assertEquals(Map.of("apiVersion", "", "kind", "", "metadata", "", "spec", ""),
                Map.of("apiVersion", "", "kind", "", "metadata", "", "spec", "").keySet().stream()
                        .filter(monitor::containsKey).collect(java.util.stream.Collectors.toMap(k -> k, k -> "")));
        assertEquals(List.of("endpoints", "selector"),
                ((Map<?, ?>) monitor.get("spec")).keySet().stream().map(String::valueOf).sorted().toList());

        V1ConfigMap dashboard = m.ofType(V1ConfigMap.class).get(0);
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Files.readString(chart().resolve("dashboards/cairn.json")).strip(),
                dashboard.getData().get("cairn.json").strip());
    }

    @Test
    void loadingRejectsAFieldKubernetesDoesNotKnow() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> new RenderedManifests("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: typo
                spec:
                  ports:
                    - port: 80
                      targetPrt: 8080
                """));
        assertTrue(String.valueOf(e.getMessage()).contains("targetPrt"), e.toString());
    }

    @Test
    void aValuesFileThatBreaksTheTemplatesFailsTheRender() throws IOException {
        Path bad = Files.createTempFile("bad-values", ".yaml");
        try {
            Files.writeString(bad, "chunkstore:\n  pools: 3\n");
            assertThrows(RuntimeException.class, () -> render(bad));
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void everyValueIsDocumentedByAComment() throws IOException {
        List<String> lines = Files.readAllLines(chart().resolve("values.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean field = line.matches("\\s*[A-Za-z][A-Za-z0-9_]*:\\s*\\S.*");
            if (field && !commented(lines, i) && !insideDocumentedBlock(lines, i)) {
                throw new AssertionError("values.yaml line " + (i + 1) + " has no comment: " + line);
            }
        }
    }

    private static boolean commented(List<String> lines, int i) {
        return i > 0 && lines.get(i - 1).strip().startsWith("#");
    }

    /** A field inside a block or list whose head has a "# --" comment (resources, pools...). */
    private static boolean insideDocumentedBlock(List<String> lines, int i) {
        int indent = indent(lines.get(i));
        for (int j = i - 1; j >= 0 && indent > 0; j--) {
            String l = lines.get(j);
            if (l.isBlank() || l.strip().startsWith("#") || indent(l) >= indent) {
                continue;
            }
            indent = indent(l);
            for (int k = j - 1; k >= 0 && lines.get(k).strip().startsWith("#"); k--) {
                if (lines.get(k).strip().startsWith("# --")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }
}
