package dev.cairn.s3.e2e;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ObjectRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The admin API on the admin port: root-only, nodes, summary, and bucket default storage classes. */
class AdminApiTest {
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkstores(2, List.of()).withProtection("1copy")
                .withStorageClasses("REDUCED_REDUNDANCY=2copies"));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static HttpResponse<String> admin(String method, String path, String body, String accessKey,
                                              String secretKey) throws Exception {
        return AdminHttp.send(server, method, path, body, accessKey, secretKey);
    }

    private static HttpResponse<String> root(String method, String path, String body) throws Exception {
        return admin(method, path, body, TestServer.ACCESS_KEY, TestServer.SECRET_KEY);
    }

    @Test
    void adminApiRefusesAnonymousAndWrongCredentials() throws Exception {
        assertEquals(401, admin("GET", "/admin/nodes", null, null, null).statusCode());
        assertEquals(403, admin("GET", "/admin/nodes", null, TestServer.ACCESS_KEY, "wrong-secret").statusCode());
        assertEquals(403, admin("GET", "/admin/summary", null, "SOMEONEELSE", "x").statusCode());
    }

    @Test
    void nodesListsTheInProcessChunkstores() throws Exception {
        HttpResponse<String> r = root("GET", "/admin/nodes", null);
        assertEquals(200, r.statusCode());
        JsonObject json = new JsonObject(r.body());
        assertEquals(2, json.getJsonArray("nodes").size());
        JsonObject n = json.getJsonArray("nodes").getJsonObject(0);
        assertEquals("local-0", n.getString("id"));
        assertEquals("UP", n.getString("state"));
    }

    @Test
    void summaryReportsHealthAndProtection() throws Exception {
        JsonObject s = new JsonObject(root("GET", "/admin/summary", null).body());
        assertEquals("optimal", s.getString("health"));
        assertEquals("1 copy", s.getString("protection"));
        assertEquals(2, s.getInteger("writableNodes"));
    }

    @Test
    void aSingleServerHasNoMetadataPeersToAddOrRemove() throws Exception {
        assertEquals(false, new JsonObject(root("GET", "/admin/metadata", null).body()).getBoolean("replicated"));
        HttpResponse<String> add = root("POST", "/admin/metadata/peers", "{\"id\":\"d\",\"address\":\"h:9400\"}");
        assertEquals(409, add.statusCode(), add.body());
        assertEquals("not_replicated", new JsonObject(add.body()).getString("error"), add.body());
        HttpResponse<String> remove = root("DELETE", "/admin/metadata/peers/a", null);
        assertEquals(409, remove.statusCode(), remove.body());
    }

    @Test
    void bucketDefaultStorageClassPicksTheProtectionOfNewObjects() throws Exception {
        String bucket = TestServer.uniqueBucket("admin-class");
        s3.createBucket(b -> b.bucket(bucket));
        HttpResponse<String> set = root("PUT", "/admin/buckets/" + bucket + "/storage-class",
                "{\"storageClass\":\"REDUCED_REDUNDANCY\"}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals("2 copies", new JsonObject(set.body()).getString("protection"));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(new byte[100_000]));
        assertEquals("REDUCED_REDUNDANCY", s3.headObject(b -> b.bucket(bucket).key("k")).storageClassAsString());
        ObjectRecord o = server.server().metadata().getObject(bucket, "k").orElseThrow();
        ChunkRecord c = server.server().metadata().getChunks(List.of(o.chunks().get(0).id())).get(0).orElseThrow();
        assertEquals("2 copies", c.protection().describe());
        assertEquals(2, c.pieces().size());

        s3.putObject(b -> b.bucket(bucket).key("std").storageClass("STANDARD"), RequestBody.fromBytes(new byte[100_000]));
        ObjectRecord std = server.server().metadata().getObject(bucket, "std").orElseThrow();
        assertEquals("1 copy", server.server().metadata().getChunks(List.of(std.chunks().get(0).id())).get(0)
                .orElseThrow().protection().describe(), "a class named on the PUT wins over the bucket default");

        assertEquals(400, root("PUT", "/admin/buckets/" + bucket + "/storage-class",
                "{\"storageClass\":\"NOPE\"}").statusCode());
        assertEquals(404, root("GET", "/admin/buckets/no-such-bucket-x/storage-class", null).statusCode());
    }
}
