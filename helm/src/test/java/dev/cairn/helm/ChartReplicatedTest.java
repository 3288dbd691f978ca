package dev.cairn.helm;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server.replicas: 3}: three server pods started together, each told every peer's Raft
 * address (stable names from a headless Service) and its own id (its pod name); chunkstores join
 * every server; a PodDisruptionBudget keeps a majority up; an even count is refused.
 */
class ChartReplicatedTest {
    private static Path values(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ChartReplicatedTest.class.getResource("/" + name)).toURI());
    }

    private static V1EnvVar env(V1Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + c.getName()));
    }

    @Test
    void threeServersReplicateOverAHeadlessServiceBehindABudget() throws Exception {
        RenderedManifests m = HelmChartTest.render(values("replicated-values.yaml"));

        V1StatefulSet servers = m.ofType(V1StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("demo-cairn-server")).findFirst().orElseThrow();
        assertEquals(3, servers.getSpec().getReplicas());
        assertEquals("Parallel", servers.getSpec().getPodManagementPolicy());
        assertEquals("demo-cairn-server-peers", servers.getSpec().getServiceName());
        V1Container server = servers.getSpec().getTemplate().getSpec().getContainers().get(0);
        String peers = "demo-cairn-server-0=demo-cairn-server-0.demo-cairn-server-peers.storage.svc.cluster.local:9400,"
                + "demo-cairn-server-1=demo-cairn-server-1.demo-cairn-server-peers.storage.svc.cluster.local:9400,"
                + "demo-cairn-server-2=demo-cairn-server-2.demo-cairn-server-peers.storage.svc.cluster.local:9400";
        assertEquals(peers, env(server, "CAIRN_METADATA_PEERS").getValue());
        assertEquals("metadata.name", env(server, "CAIRN_METADATA_ID").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("0", env(server, "CAIRN_CHUNKSTORES").getValue());
        assertTrue(server.getPorts().stream().anyMatch(p -> "metadata".equals(p.getName())
                && p.getContainerPort() == 9400));

        V1Service headless = m.ofType(V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals("demo-cairn-server-peers")).findFirst().orElseThrow();
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
        assertEquals(List.of("metadata", "admin"), headless.getSpec().getPorts().stream().map(p -> p.getName()).toList());

        V1Container node = m.ofType(V1StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().startsWith("demo-cairn-chunkstore")).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("http://demo-cairn-server-0.demo-cairn-server-peers.storage.svc.cluster.local:9001,"
                        + "http://demo-cairn-server-1.demo-cairn-server-peers.storage.svc.cluster.local:9001,"
                        + "http://demo-cairn-server-2.demo-cairn-server-peers.storage.svc.cluster.local:9001",
                env(node, "CAIRN_JOIN").getValue());

        V1PodDisruptionBudget budget = m.ofType(V1PodDisruptionBudget.class).stream()
                .filter(b -> b.getMetadata().getName().equals("demo-cairn-server")).findFirst().orElseThrow();
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntValue());
        assertEquals("server", budget.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/component"));
    }

    @Test
    void oneServerKeepsItsLocalMetadata() {
        RenderedManifests m = HelmChartTest.render();
        V1StatefulSet servers = m.ofType(V1StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("demo-cairn-server")).findFirst().orElseThrow();
        assertEquals(1, servers.getSpec().getReplicas());
        assertTrue(servers.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .noneMatch(e -> e.getName().startsWith("CAIRN_METADATA_")));
        assertTrue(m.ofType(V1Service.class).stream().noneMatch(s -> s.getMetadata().getName().endsWith("-peers")));
        assertTrue(m.ofType(V1PodDisruptionBudget.class).stream()
                .noneMatch(b -> b.getMetadata().getName().equals("demo-cairn-server")));
    }

    @Test
    void anEvenNumberOfServersIsRefused() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> new com.marcnuri.helm.Helm(HelmChartTest.chart())
                .template().withName("demo").withNamespace("storage").set("auth.lookup", false)
                .set("server.replicas", 2).call());
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
    }
}
