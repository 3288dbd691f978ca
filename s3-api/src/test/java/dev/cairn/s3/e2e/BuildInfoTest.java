package dev.cairn.s3.e2e;

import dev.cairn.s3.BuildInfo;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server says which build it is: {@code build} in {@code GET /admin/summary}, the
 * {@code cairn_build_info} metric and the {@code Server} header of S3 and admin responses, all
 * from the version Maven filtered into build-info.properties.
 */
class BuildInfoTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theBuildIsFilledInByMaven() {
        BuildInfo b = BuildInfo.current();
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+.*"), b.toString());
        assertTrue(b.built().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), b.toString());
        assertNotEquals("", b.revision());
        assertEquals("Cairn/" + b.version(), b.serverHeader());
    }

    @Test
    void summaryNamesTheBuild() throws Exception {
        JsonObject s = new JsonObject(AdminHttp.root(server, "GET", "/admin/summary", null).body());
        assertEquals(BuildInfo.current().toJson(), s.getJsonObject("build"), s.encode());
    }

    @Test
    void buildInfoMetricCarriesVersionAndCommit() throws Exception {
        String text = get(server.adminEndpoint().resolve("/metrics").toString()).body();
        BuildInfo b = BuildInfo.current();
        assertEquals(1.0, MetricsTest.sum(text, "cairn_build_info",
                Map.of("version", b.version(), "revision", b.revision())), text);
        assertTrue(text.contains("# HELP cairn_build_info "), "HELP text of cairn_build_info");
    }

    @Test
    void everyResponseNamesTheServerAndItsVersion() throws Exception {
        String expected = "Cairn/" + BuildInfo.current().version();
        // an anonymous S3 request (refused), a health check and a refused admin call
        HttpResponse<String> s3 = get(server.endpoint().resolve("/some-bucket").toString());
        assertEquals(403, s3.statusCode());
        assertEquals(expected, s3.headers().firstValue("Server").orElse(null));
        assertEquals(expected, get(server.adminEndpoint().resolve("/health/live").toString()).headers()
                .firstValue("Server").orElse(null));
        HttpResponse<String> admin = get(server.adminEndpoint().resolve("/admin/nodes").toString());
        assertEquals(401, admin.statusCode());
        assertEquals(expected, admin.headers().firstValue("Server").orElse(null));
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(java.net.URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
