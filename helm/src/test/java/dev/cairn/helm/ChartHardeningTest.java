package dev.cairn.helm;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1IngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1TopologySpreadConstraint;
import io.kubernetes.client.openapi.models.V1Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's hardening, rendered with helm-java: every pod meets the "restricted" Pod Security
 * Standard, the Secret is kept across renders given the one in the cluster (auth.currentSecretData
 * stands in for lookup, which a render without a cluster cannot do) and pods carry its checksum,
 * values.schema.json refuses wrong types and unknown keys, and the Ingress, the NetworkPolicy and
 * the zone spread appear as configured.
 */
class ChartHardeningTest {
    @TempDir
    Path dir;

    private Path values(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static boolean empty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static List<V1StatefulSet> statefulSets(RenderedManifests m) {
        return m.ofType(V1StatefulSet.class);
    }

    private static Map<String, String> secretData(RenderedManifests m) {
        V1Secret secret = m.ofType(V1Secret.class).get(0);
        return new TreeMap<>(secret.getData().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new String(e.getValue(), StandardCharsets.UTF_8))));
    }

    private static String checksum(V1StatefulSet set) {
        Map<String, String> a = set.getSpec().getTemplate().getMetadata().getAnnotations();
        return a == null ? null : a.get("checksum/secret");
    }

    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() throws Exception {
        Path multiNode = Path.of(HelmChartTest.class.getResource("/multi-node-values.yaml").toURI());
        for (RenderedManifests m : List.of(HelmChartTest.render(), HelmChartTest.render(multiNode))) {
            assertTrue(statefulSets(m).size() >= 2);
            for (V1StatefulSet set : statefulSets(m)) {
                String what = set.getMetadata().getName();
                V1PodSpec pod = set.getSpec().getTemplate().getSpec();
                assertEquals(true, pod.getSecurityContext().getRunAsNonRoot(), what);
                assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), what);
                assertNull(pod.getHostNetwork(), what);
                assertNull(pod.getHostPID(), what);
                assertNull(pod.getHostIPC(), what);
                for (V1Volume v : pod.getVolumes()) {
                    assertTrue(v.getEmptyDir() != null || v.getPersistentVolumeClaim() != null || v.getSecret() != null
                            || v.getConfigMap() != null, what + ": volume type allowed by restricted: " + v);
                }
                for (V1Container c : pod.getContainers()) {
                    var sc = c.getSecurityContext();
                    assertEquals(false, sc.getAllowPrivilegeEscalation(), what);
                    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), what);
                    assertTrue(empty(sc.getCapabilities().getAdd()), what);
                    assertNull(sc.getPrivileged(), what);
                    assertEquals(true, sc.getReadOnlyRootFilesystem(), what);
                    assertTrue(c.getPorts().stream().allMatch(p -> p.getHostPort() == null), what);
                    assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")
                            && v.getName().equals("tmp")), what + ": a writable /tmp");
                    assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/data")), what);
                }
                assertEquals("256Mi", pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst()
                        .orElseThrow().getEmptyDir().getSizeLimit().toSuffixedString(), what);
            }
        }
    }

    @Test
    void theSecretIsKeptAcrossRendersGivenTheOneInTheClusterAndPodsRollWhenItChanges() throws Exception {
        String live = """
                auth:
                  currentSecretData:
                    root-access-key: %s
                    root-secret-key: %s
                    cluster-secret: %s
                """;
        Base64.Encoder b64 = Base64.getEncoder();
        Path existing = values("existing", live.formatted(b64.encodeToString("CAIRNLIVEACCESSKEY01".getBytes()),
                b64.encodeToString("live-secret-key".getBytes()), b64.encodeToString("live-cluster-secret".getBytes())));

        RenderedManifests first = HelmChartTest.render(existing);
        RenderedManifests second = HelmChartTest.render(existing);
        Map<String, String> expected = Map.of("root-access-key", "CAIRNLIVEACCESSKEY01",
                "root-secret-key", "live-secret-key", "cluster-secret", "live-cluster-secret");
        assertEquals(expected, secretData(first));
        assertEquals(expected, secretData(second));
        assertEquals("keep", first.ofType(V1Secret.class).get(0).getMetadata().getAnnotations()
                .get("helm.sh/resource-policy"), "the Secret outlives an uninstall");

        // the checksum is over the data the Secret holds, the same on every pod and every render
        String yaml = expected.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + b64.encodeToString(e.getValue().getBytes()))
                .collect(Collectors.joining("\n"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(yaml.getBytes(StandardCharsets.UTF_8)));
        for (RenderedManifests m : List.of(first, second)) {
            for (V1StatefulSet set : statefulSets(m)) {
                assertEquals(sha, checksum(set), set.getMetadata().getName());
            }
        }

        // a value given now wins and rolls the pods
        Path rotated = values("rotated", "auth:\n  rootSecretKey: rotated-secret-key\n");
        RenderedManifests third = HelmChartTest.render(existing, rotated);
        assertEquals("rotated-secret-key", secretData(third).get("root-secret-key"));
        assertEquals("CAIRNLIVEACCESSKEY01", secretData(third).get("root-access-key"));
        assertNotEquals(sha, checksum(statefulSets(third).get(0)));

        // without the Secret of the cluster, each render makes new ones: the stand-in is what keeps them
        RenderedManifests fresh1 = HelmChartTest.render();
        RenderedManifests fresh2 = HelmChartTest.render();
        assertNotEquals(secretData(fresh1), secretData(fresh2));
        assertEquals(checksum(statefulSets(fresh1).get(0)), checksum(statefulSets(fresh1).get(1)),
                "one render generates once: every pod sees the same Secret");
    }

    @Test
    void anExistingSecretIsUsedAsItIsAndNotRendered() throws IOException {
        RenderedManifests m = HelmChartTest.render(values("existing", "auth:\n  existingSecret: my-cairn-keys\n"));
        assertEquals(List.of(), m.ofType(V1Secret.class));
        V1Container server = statefulSets(m).stream().filter(s -> s.getMetadata().getName().endsWith("-server"))
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(server.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .allMatch(e -> e.getValueFrom().getSecretKeyRef().getName().equals("my-cairn-keys")));
        assertNull(checksum(statefulSets(m).get(0)), "no checksum of a Secret the render cannot read");
    }

    @Test
    void theSchemaRefusesWrongTypesAndUnknownKeys() throws IOException {
        for (String[] bad : new String[][]{
                {"server:\n  metricsMaxBuckets: many\n", "metricsMaxBuckets"},
                {"chunkstore:\n  pools: 3\n", "pools"},
                {"networkPolicy:\n  enabled: \"yes\"\n", "enabled"},
                {"chunkstore:\n  capacity: 1Ti\n", "capacity"},
                {"servr:\n  region: eu\n", "servr"}}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> HelmChartTest.render(values("bad", bad[0])),
                    bad[0]);
            assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void ingressWithCertManagerAndTheNetworkPolicyWhenEnabled() throws IOException {
        RenderedManifests off = HelmChartTest.render();
        assertEquals(List.of(), off.ofType(V1Ingress.class));
        assertEquals(List.of(), off.ofType(V1NetworkPolicy.class));

        RenderedManifests m = HelmChartTest.render(values("on", """
                server:
                  domain: s3.example.org
                ingress:
                  enabled: true
                  className: nginx
                  annotations:
                    nginx.ingress.kubernetes.io/proxy-body-size: "0"
                  certManager:
                    clusterIssuer: letsencrypt
                  s3:
                    host: s3.example.org
                    extraHosts: ["*.s3.example.org"]
                  console:
                    enabled: true
                    host: console.example.org
                networkPolicy:
                  enabled: true
                  chunkstoreMetricsFrom:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: monitoring
                """));
        V1Ingress ingress = m.ofType(V1Ingress.class).get(0);
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertEquals("letsencrypt", ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"));
        assertEquals("0", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals("demo-cairn-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals(List.of("s3.example.org", "*.s3.example.org", "console.example.org"),
                ingress.getSpec().getTls().get(0).getHosts());
        Map<String, String> backends = ingress.getSpec().getRules().stream().collect(Collectors.toMap(
                V1IngressRule::getHost, r -> r.getHttp().getPaths().get(0).getBackend().getService().getName() + ":"
                        + r.getHttp().getPaths().get(0).getBackend().getService().getPort().getName()));
        assertEquals(Map.of("s3.example.org", "demo-cairn-s3:s3", "*.s3.example.org", "demo-cairn-s3:s3",
                "console.example.org", "demo-cairn-admin:admin"), backends);
        V1Container server = statefulSets(m).stream().filter(s -> s.getMetadata().getName().endsWith("-server"))
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(server.getEnv().stream().anyMatch(e -> e.getName().equals("CAIRN_DOMAIN")
                && "s3.example.org".equals(e.getValue())), "virtual-hosted style under the ingress host");

        V1NetworkPolicy policy = m.ofType(V1NetworkPolicy.class).get(0);
        assertEquals("chunkstore", policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        var rules = policy.getSpec().getIngress();
        assertEquals(2, rules.size());
        V1NetworkPolicyPeer servers = rules.get(0).getFrom().get(0);
        assertEquals(Map.of("app.kubernetes.io/name", "cairn", "app.kubernetes.io/instance", "demo",
                "app.kubernetes.io/component", "server"), servers.getPodSelector().getMatchLabels());
        for (var rule : rules) {
            assertEquals("pieces", rule.getPorts().get(0).getPort().getStrValue(), "only the chunkstore port");
        }
        assertEquals("monitoring", rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                .get("kubernetes.io/metadata.name"));
    }

    @Test
    void chunkstoresSpreadOverZones() throws IOException {
        V1StatefulSet nodes = statefulSets(HelmChartTest.render()).stream()
                .filter(s -> s.getMetadata().getName().contains("chunkstore")).findFirst().orElseThrow();
        List<V1TopologySpreadConstraint> spread = nodes.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertNotNull(spread);
        assertEquals("topology.kubernetes.io/zone", spread.get(0).getTopologyKey());
        assertEquals(1, spread.get(0).getMaxSkew());
        assertEquals("ScheduleAnyway", spread.get(0).getWhenUnsatisfiable());
        assertEquals("chunkstore", spread.get(0).getLabelSelector().getMatchLabels().get("app.kubernetes.io/component"));

        V1StatefulSet strict = statefulSets(HelmChartTest.render(values("strict",
                "chunkstore:\n  topologySpread:\n    whenUnsatisfiable: DoNotSchedule\n"))).stream()
                .filter(s -> s.getMetadata().getName().contains("chunkstore")).findFirst().orElseThrow();
        assertEquals("DoNotSchedule", strict.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0)
                .getWhenUnsatisfiable());
        V1StatefulSet off = statefulSets(HelmChartTest.render(values("off",
                "chunkstore:\n  topologySpread:\n    enabled: false\n"))).stream()
                .filter(s -> s.getMetadata().getName().contains("chunkstore")).findFirst().orElseThrow();
        assertTrue(empty(off.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()));
    }
}
