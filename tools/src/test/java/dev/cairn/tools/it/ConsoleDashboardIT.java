package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's dashboard in a real browser against a server with three chunkstore processes:
 * health, nodes, storage by bucket and live charts; the movers' throttle, a drain whose progress
 * shows while it runs, remove (refused while the node holds pieces), pause and resume; any mover
 * state the server names shown with its reason; and forged requests from another site's page
 * changing nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleDashboardIT {
    private static final Duration UI = Duration.ofSeconds(20);
    private static final String BUCKET = "data";
    private static final int OBJECTS = 12;

    @TempDir
    static Path dir;
    private static ClusterFixture cluster;
    private static ConsoleBrowser browser;
    private static S3Client s3;

    @BeforeAll
    static void start() throws InterruptedException {
        if (!ConsoleBrowser.available()) {
            return; // @BeforeEach skips (or fails under CI)
        }
        cluster = ClusterFixture.start("ConsoleDashboardIT", dir.resolve("cluster"), 3, "2copies",
                ClusterFixture.FAST_MOVERS);
        s3 = cluster.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        Map<String, SeededBytes> objects = new LinkedHashMap<>();
        for (int i = 0; i < OBJECTS; i++) {
            objects.put("obj-" + i, new SeededBytes(500 + i, 3 * TestFiles.MiB));
        }
        SeededObjects.forEach(objects, 4, (key, content) -> {
            SeededObjects.put(s3, BUCKET, key, content);
            return "";
        });
        browser = ConsoleBrowser.start(dir.resolve("browser"), cluster.server().adminUri());
        browser.open("#/dashboard");
        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
    }

    @BeforeEach
    void requireBrowser() {
        ConsoleBrowser.require();
        assertNotNull(browser, "the browser did not start");
    }

    @AfterEach
    void pageLoggedNoErrors() {
        if (browser != null) {
            assertEquals(List.of(), browser.pageErrors(), "CSP refusals or uncaught errors in the page");
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String text(String css) {
        return browser.text(css);
    }

    @Test
    @Order(1)
    void showsHealthNodesStorageAndLiveCharts() {
        browser.awaitText("#health-status", "optimal", UI);
        // health is computed from facts: once the movers have checked every chunk, the reason says so
        browser.awaitText("#health-reason", "at full protection on distinct nodes", Duration.ofSeconds(60));
        browser.await("three nodes UP", UI, d -> browser.all("#nodes tr[data-state='UP']").size() == 3);
        browser.awaitText("#bucket-usage tr[data-bucket='data']", "12", UI);
        assertTrue(text("#bucket-usage tr[data-bucket='data']").contains("36.0 MiB"), text("#bucket-usage"));
        browser.awaitText("#total-objects", "12", UI);
        // two scrapes of /metrics make the first point of each chart
        browser.await("the request chart has a value", Duration.ofSeconds(30),
                d -> !text("#chart-requests .value").isEmpty() && !text("#chart-requests .value").startsWith("—"));
        browser.await("the latency chart has a value", Duration.ofSeconds(30), d -> {
            s3.listObjectsV2(b -> b.bucket(BUCKET)); // requests to measure
            return !text("#chart-latency .value").startsWith("—");
        });
        browser.screenshots("dashboard");
        // some traffic for a few more points (reads, and writes small enough to stay in metadata, so
        // no piece is added for the drain below), then the whole page, which the README shows
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        for (int i = 0; System.nanoTime() < until; i++) {
            String small = "traffic-" + (i % 20);
            String big = "obj-" + (i % OBJECTS);
            s3.putObject(b -> b.bucket(BUCKET).key(small), software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[8 * 1024]));
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(big));
        }
        browser.fullPageScreenshot("dashboard");
        for (int i = 0; i < 20; i++) {
            String key = "traffic-" + i;
            s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        }
    }

    @Test
    @Order(2)
    void rendersAnyMoverStateWithItsReason() {
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) browser.jsAsync(
                "const done = arguments[arguments.length - 1];"
                        + "import('/console/js/dashboard.js').then(async (m) => {"
                        + " const box = document.createElement('div'); document.body.append(box);"
                        + " const answers = {'/admin/summary': {health: 'degraded', reason: 'r', nodes: {UP: 1}},"
                        + "  '/admin/nodes': {nodes: []}, '/admin/buckets': {buckets: []},"
                        + "  '/admin/rebalances': {state: 'blocked', reason: '<b>2 pieces</b> have no node to go to',"
                        + "   movers: {drain: {state: 'blocked', reason: 'no writable node in zone b', chunksToMove: 3}}}};"
                        + " const ctx = {config: {}, links: {folder: () => '#'}, fail: (e) => done({error: String(e)}),"
                        + "  api: {admin: async (method, path) => answers[path]}};"
                        + " const stop = m.render(box, ctx);"
                        + " await new Promise(r => setTimeout(r, 300)); stop();"
                        + " const q = (s) => box.querySelector(s) && box.querySelector(s).textContent;"
                        + " const out = {state: q('#movers-state'), reason: q('#movers-reason'),"
                        + "  drain: q('tr[data-mover=drain]'), bold: box.querySelectorAll('#movers b').length};"
                        + " box.remove(); done(out);"
                        + "}).catch(e => done({error: String(e)}));");
        assertEquals(null, shown.get("error"));
        assertEquals("blocked", shown.get("state"));
        assertEquals("<b>2 pieces</b> have no node to go to", shown.get("reason"));
        assertTrue(String.valueOf(shown.get("drain")).contains("no writable node in zone b"), shown.toString());
        assertEquals(0L, shown.get("bold"));
    }

    @Test
    @Order(3)
    void pagesOfOtherSitesCannotActWithTheConsolesAuthority() {
        String admin = cluster.server().adminUri().toString().replaceAll("/$", "");
        String node = cluster.nodes().get(0).id();
        String page = "<form id=f method=post action='" + admin + "/admin/nodes/" + node + "/drain'>"
                + "<input name=a value=b></form>"
                + "<script>fetch('" + admin + "/admin/rebalances/pause', {method: 'POST', mode: 'no-cors'});"
                + "fetch('" + admin + "/s3/" + BUCKET + "/obj-0', {method: 'POST', mode: 'no-cors', body: 'x'});"
                + "setTimeout(() => document.getElementById('f').submit(), 300);</script>";
        browser.driver().get("data:text/html," + URLEncoder.encode(page, StandardCharsets.UTF_8).replace("+", "%20"));
        browser.await("the forged form answered", UI, d -> d.getCurrentUrl().startsWith(admin + "/admin/nodes/"));
        assertTrue(browser.find("body").getText().contains("unauthorized"), browser.find("body").getText());
        // the forged fetches fail in the other site's page (the browser, or the server, refuses them)
        assertTrue(browser.pageErrors().stream().allMatch(m -> m.startsWith("javascript ")), "only the other site's errors");
        assertEquals("UP", cluster.nodeRecord(node).getString("state"));
        assertEquals(false, cluster.rebalances().getBoolean("paused"));
        assertEquals(OBJECTS, s3.listObjectsV2(b -> b.bucket(BUCKET)).keyCount());
        browser.open("#/dashboard");
        browser.awaitText("#health-status", "optimal", UI); // the console's own session is untouched
    }

    private static void throttle(long mibPerSecond) {
        browser.type("#throttle-bytes", Long.toString(mibPerSecond));
        browser.type("#throttle-moves", "4");
        browser.click("#throttle-apply");
        browser.awaitText("#toasts", "Throttle: " + (mibPerSecond < 10 ? mibPerSecond + ".00" : mibPerSecond) + " MiB/s", UI);
        assertEquals(mibPerSecond * TestFiles.MiB,
                cluster.rebalances().getJsonObject("throttle").getLong("bytesPerSecond"));
        assertEquals(4, cluster.rebalances().getJsonObject("throttle").getInteger("movesPerNode"));
    }

    private static void nodeButton(String node, String css) {
        browser.await(node + " " + css, UI, d -> Boolean.TRUE.equals(browser.js(
                "const tr = [...document.querySelectorAll('#nodes tr')].find(t => t.dataset.node === arguments[0]);"
                        + " const b = tr && tr.querySelector(arguments[1]); if (b) b.click(); return Boolean(b);", node, css)));
        browser.click("#confirm-ok");
    }

    @Test
    @Order(4)
    void drainsANodeShowingTheMoversProgressThenRemovesIt() {
        browser.open("#/dashboard");
        browser.awaitText("#health-status", "optimal", UI);
        String victim = cluster.nodes().get(2).id();
        assertTrue(PieceLayout.of(cluster).piecesOn(victim) > 0);

        nodeButton(victim, "button.remove");
        browser.awaitText("#toasts", "still holds", UI);
        assertEquals("UP", cluster.nodeRecord(victim).getString("state"));

        throttle(1); // slow enough to watch
        nodeButton(victim, "button.drain");
        browser.await(victim + " DRAINING", UI, d -> !browser.all("#nodes tr[data-state='DRAINING']").isEmpty());
        List<String> seen = new ArrayList<>();
        browser.await("the drain moving, chunks left and moved changing", Duration.ofSeconds(90), d -> {
            String state = text("#movers-state");
            String moved = text("#movers-chunks-moved");
            String left = text("#movers-chunks-left");
            String row = state + " left=" + left + " moved=" + moved;
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(row)) {
                seen.add(row);
            }
            return seen.stream().filter(s -> s.startsWith("moving") && !s.contains("left=0 ")
                    && !s.endsWith("moved=0")).map(s -> s.substring(s.indexOf("moved="))).distinct().count() >= 2;
        });
        assertTrue(text("#mover-table tr[data-mover='drain']").length() > 0);
        browser.screenshots("dashboard-draining");
        throttle(512);
        browser.await("movers done, " + victim + " empty", Duration.ofSeconds(90),
                d -> text("#movers-state").equals("done") && Boolean.TRUE.equals(browser.js(
                        "const tr = [...document.querySelectorAll('#nodes tr')].find(t => t.dataset.node === arguments[0]);"
                                + " return tr && tr.querySelector('td.num').textContent === '0';", victim)));
        JsonObject status = cluster.rebalances();
        assertTrue(status.getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved") > 0, status.encode());

        nodeButton(victim, "button.remove");
        browser.await(victim + " REMOVED", UI, d -> !browser.all("#nodes tr[data-state='REMOVED']").isEmpty());
        assertEquals("REMOVED", cluster.nodeRecord(victim).getString("state"));
        cluster.forget(cluster.nodes().get(2));
        for (int i = 0; i < OBJECTS; i++) {
            String key = "obj-" + i;
            assertEquals(new SeededBytes(500 + i, 3 * TestFiles.MiB).sha256(), SeededObjects.getSha256(s3, BUCKET, key));
        }
    }

    @Test
    @Order(5)
    void pausesAndResumesTheMovers() {
        browser.open("#/dashboard");
        browser.click("#movers-pause");
        browser.awaitVisible("#movers-resume", UI);
        assertEquals(true, cluster.rebalances().getBoolean("paused"));
        browser.click("#movers-resume");
        browser.awaitVisible("#movers-pause", UI);
        assertEquals(false, cluster.rebalances().getBoolean("paused"));
    }
}
