package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bucket of 100,000 keys browsed in the console a page at a time (1,000 keys a page, 100
 * pages, continuation tokens; the console never lists the whole bucket): every page is shown in
 * under a second, measured in the browser from the click to the frame after the rows are in the
 * page. The keys are PUT through the S3 API in parallel (small objects, kept in metadata).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleListingIT {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleListingIT.class);
    private static final int KEYS = 100_000;
    private static final int PAGE = 1000;
    private static final int THREADS = 32;
    private static final Duration UI = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static ConsoleBrowser browser;

    static String key(int i) {
        return String.format("file-%06d.txt", i);
    }

    @BeforeAll
    static void start() throws Exception {
        if (!ConsoleBrowser.available()) {
            return; // @BeforeEach skips (or fails under CI)
        }
        server = ServerProcess.start("ConsoleListingIT", dir.resolve("server"));
        try (S3Client s3 = server.s3ClientBuilder().build()) { // the SDK's default pool: 50 connections
            s3.createBucket(b -> b.bucket("many"));
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    work.add(pool.submit(() -> {
                        for (int i = first; i < KEYS; i += THREADS) {
                            String k = key(i);
                            s3.putObject(b -> b.bucket("many").key(k), RequestBody.fromString(k));
                        }
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            LOG.info("PUT {} keys in {} ms", KEYS, (System.nanoTime() - t0) / 1_000_000);
        }
        browser = ConsoleBrowser.start(dir.resolve("browser"), server.adminUri());
    }

    @BeforeEach
    void requireBrowser() {
        ConsoleBrowser.require();
        assertNotNull(browser, "the browser did not start");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The page now shown: number, first and last key, row count, and the browser's time to show it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shown() {
        return (Map<String, Object>) browser.js("const t = document.getElementById('object-table');"
                + " if (!t || !t.dataset.renderMs) return null;"
                + " const rows = t.querySelectorAll('tr.object');"
                + " return {page: Number(t.dataset.page), ms: Number(t.dataset.renderMs), fetchMs: Number(t.dataset.fetchMs), rows: rows.length,"
                + "  first: rows.length ? rows[0].dataset.key : null, last: rows.length ? rows[rows.length - 1].dataset.key : null};");
    }

    private static Map<String, Object> awaitPage(int page) {
        return browser.await("page " + page + " shown", UI, d -> {
            Map<String, Object> s = shown();
            return s != null && ((Number) s.get("page")).intValue() == page ? s : null;
        });
    }

    @Test
    void browsesOneHundredThousandKeysAPageAtATimeEachPageInUnderASecond() {
        browser.open("#/b/many/");
        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
        awaitPage(1);
        new org.openqa.selenium.support.ui.Select(browser.find("#page-size")).selectByValue(Integer.toString(PAGE));
        browser.await("1,000 rows", UI, d -> {
            Map<String, Object> s = shown();
            return s != null && ((Number) s.get("rows")).intValue() == PAGE;
        });
        List<Long> browserMs = new ArrayList<>();
        List<Long> fetchMs = new ArrayList<>();
        List<Long> wallMs = new ArrayList<>();
        for (int page = 1; page <= KEYS / PAGE; page++) {
            Map<String, Object> s = awaitPage(page);
            assertEquals(PAGE, ((Number) s.get("rows")).intValue(), "rows on page " + page);
            assertEquals(key((page - 1) * PAGE), s.get("first"), "first key of page " + page);
            assertEquals(key(page * PAGE - 1), s.get("last"), "last key of page " + page);
            if (page > 1) {
                browserMs.add(((Number) s.get("ms")).longValue());
                fetchMs.add(((Number) s.get("fetchMs")).longValue());
            }
            if (page < KEYS / PAGE) {
                long t0 = System.nanoTime();
                browser.click("#next-page");
                awaitPage(page + 1);
                wallMs.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        assertTrue(browser.find("#next-page").getDomProperty("disabled").equals("true"), "no page after the last");
        browser.click("#prev-page");
        Map<String, Object> back = awaitPage(KEYS / PAGE - 1);
        browserMs.add(((Number) back.get("ms")).longValue());
        assertEquals(key(KEYS - 2 * PAGE), back.get("first"));

        List<Long> sorted = new ArrayList<>(browserMs);
        Collections.sort(sorted);
        LOG.info("{} pages of {} keys: shown in median {} ms, max {} ms (in the browser; of which the listing request"
                        + " median {} ms, max {} ms); click to seen by the test: median {} ms, max {} ms", browserMs.size(),
                PAGE, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), median(fetchMs),
                Collections.max(fetchMs), median(wallMs), Collections.max(wallMs));
        assertTrue(sorted.get(sorted.size() - 1) < 1000, "every page shown in under 1 s: " + browserMs);
        browser.screenshots("objects-100k");

        browser.type("#search", "file-0999");
        Map<String, Object> found = browser.await("the prefix search", UI, d -> {
            Map<String, Object> s = shown();
            return s != null && "file-099900.txt".equals(s.get("first")) ? s : null;
        });
        assertEquals(100, ((Number) found.get("rows")).intValue());
        assertEquals("file-099999.txt", found.get("last"));
        assertTrue(((Number) found.get("ms")).longValue() < 1000, found.toString());
    }

    private static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
