package dev.cairn.tools.it;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's object browser in a real browser (headless Chromium) against a real server with
 * three chunkstore processes: sign-in (and clear refusals), buckets, a 30 MiB multipart upload
 * through the file input with its progress, pause/resume and the retry of failed parts, folders,
 * download, share links (fetched with plain HTTP, QR code read back), object details and
 * previews, names rendered as text, multi-delete, sign-out. One browser and one cluster for the
 * class; the tests run in order, each leaving the console signed in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleIT {
    private static final String BUCKET = "photos";
    private static final Duration UI = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static ClusterFixture cluster;
    private static ConsoleBrowser browser;
    private static S3Client s3;
    private static Path holiday;

    @BeforeAll
    static void start() {
        if (!ConsoleBrowser.available()) {
            return; // @BeforeEach skips (or fails under CI)
        }
        cluster = ClusterFixture.start("ConsoleIT", dir.resolve("cluster"), 3, "2copies");
        s3 = cluster.s3();
        browser = ConsoleBrowser.start(dir.resolve("browser"), cluster.server().adminUri());
        holiday = TestFiles.random(dir.resolve("files/holiday.bin"), 30 * TestFiles.MiB, 13);
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

    @Test
    @Order(1)
    void signingInThePageMatchesAwsSignatureExamples() {
        browser.open("");
        browser.awaitVisible("#access-key", UI);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.jsAsync(
                "const done = arguments[arguments.length - 1];"
                        + "Promise.all([import('/console/js/sigv4.js'), import('/console/js/sha256.js'), import('/console/js/crypto.js')])"
                        + ".then(async ([v4, js, c]) => {"
                        + " const key = await v4.signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1');"
                        + " const s = new v4.Signer({accessKey: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1',"
                        + "   keys: {'20130524': key}, clock: () => Date.UTC(2013, 4, 24)});"
                        + " const h = await s.sign('GET', '/test.txt', [], {host: 'examplebucket.s3.amazonaws.com',"
                        + "   range: 'bytes=0-9'}, v4.EMPTY_SHA256);"
                        + " const q = await s.presign('GET', '/test.txt', [], 'examplebucket.s3.amazonaws.com', 86400);"
                        + " const a = new Uint8Array(1000000).fill(97);"
                        + " done({header: h.authorization, query: q,"
                        + "   abc: c.hex(js.sha256(c.utf8('abc'))), million: c.hex(js.sha256(a)),"
                        + "   hmac: c.hex(js.hmacSha256(c.utf8('Jefe'), c.utf8('what do ya want for nothing?'))),"
                        + "   native: c.nativeCrypto});"
                        + "}).catch(e => done({error: String(e)}));");
        assertEquals(null, r.get("error"));
        // AWS's GET Object example (Authorization header) and its presigned URL example
        assertTrue(String.valueOf(r.get("header")).endsWith(
                "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"), r.toString());
        assertTrue(String.valueOf(r.get("query")).contains(
                "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&"), r.toString());
        // the JavaScript SHA-256 used where Web Crypto is hidden (plain HTTP off loopback): FIPS 180 and RFC 4231
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", r.get("abc"));
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", r.get("million"));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", r.get("hmac"));
        assertEquals(true, r.get("native"), "loopback is a secure context: Web Crypto signs");
    }

    @Test
    @Order(2)
    void badCredentialsShowAClearMessage() {
        browser.open("");
        browser.awaitVisible("#access-key", UI);
        browser.screenshots("sign-in");
        browser.signIn(ServerProcess.ACCESS_KEY, "not-the-secret");
        browser.awaitText("#signin-error", "the secret key is wrong for access key “" + ServerProcess.ACCESS_KEY + "”", UI);
        browser.signIn("NOSUCHKEY", "whatever");
        browser.awaitText("#signin-error", "there is no access key “NOSUCHKEY” on this server", UI);
        browser.screenshots("sign-in-refused");
        assertEquals("{}", browser.js("return JSON.stringify(sessionStorage)"));
    }

    @Test
    @Order(3)
    void signInKeepsNoSecretAndCreatesABucket() {
        browser.open("");
        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
        browser.awaitVisible("#create-bucket", UI);
        String stored = String.valueOf(browser.js("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
                + " + document.cookie"));
        assertFalse(stored.contains(ServerProcess.SECRET_KEY), stored);
        assertTrue(stored.contains(ServerProcess.ACCESS_KEY), "the session (derived keys) is in sessionStorage: " + stored);
        assertEquals("", browser.js("return document.cookie"));

        browser.type("#new-bucket", "Not_A_Bucket");
        browser.click("#create-bucket-button");
        browser.awaitText("#bucket-error", "A bucket name is 3 to 63 lower-case letters", UI);
        browser.type("#new-bucket", BUCKET);
        browser.click("#create-bucket-button");
        browser.awaitVisible("tr[data-bucket='" + BUCKET + "'] a.bucket-link", UI);
        assertNotNull(s3.headBucket(b -> b.bucket(BUCKET)));
        browser.screenshots("buckets");
    }

    /** The upload rows' state, value and max, and percent text, by key. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> upload(String key) {
        return (Map<String, Object>) browser.js("const li = [...document.querySelectorAll('li.upload')]"
                + ".find(l => l.dataset.key === arguments[0]); if (!li) return null;"
                + "const p = li.querySelector('progress');"
                + "return {state: li.dataset.state, value: p.value, max: p.max,"
                + " percent: li.querySelector('.percent').textContent, text: li.textContent};", key);
    }

    private static Map<String, Object> awaitUpload(String key, String state, Duration limit) {
        return browser.await("upload of " + key + " " + state, limit, d -> {
            Map<String, Object> u = upload(key);
            return u != null && state.equals(u.get("state")) ? u : null;
        });
    }

    @Test
    @Order(4)
    void uploadsThirtyMiBThroughTheFileInputWithProgressToOneHundredPercent() {
        browser.click("tr[data-bucket='" + BUCKET + "'] a.bucket-link");
        browser.awaitVisible("#browser", UI);
        browser.click("#new-folder");
        browser.type("#prompt-input", "2026");
        browser.click("#prompt-ok");
        browser.click("tr.folder[data-prefix='2026/'] a.folder-link");
        browser.awaitText("#crumbs", "2026", UI);

        browser.network(8 * TestFiles.MiB, false); // slow enough to watch the progress move
        try {
            browser.find("#file-input").sendKeys(holiday.toString());
            String key = "2026/holiday.bin";
            List<Double> seen = new ArrayList<>();
            Map<String, Object> last = browser.await("upload of " + key + " done", Duration.ofMinutes(2), d -> {
                Map<String, Object> u = upload(key);
                if (u != null) {
                    seen.add(((Number) u.get("value")).doubleValue());
                }
                return u != null && "done".equals(u.get("state")) ? u : null;
            });
            double size = 30 * TestFiles.MiB;
            assertEquals("100%", last.get("percent"));
            assertEquals(size, ((Number) last.get("value")).doubleValue());
            assertEquals(size, ((Number) last.get("max")).doubleValue());
            assertTrue(seen.stream().anyMatch(v -> v > 0 && v < size), "progress in between: " + seen);
            assertTrue(seen.stream().distinct().count() >= 3, "progress moved: " + seen);
            assertTrue(String.valueOf(last.get("text")).contains("4/4 parts"), String.valueOf(last.get("text")));
        } finally {
            browser.network(0, false);
        }
        browser.awaitVisible("tr.object[data-key='2026/holiday.bin']", UI);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("2026/holiday.bin"));
        assertEquals(30 * TestFiles.MiB, head.contentLength());
        assertTrue(head.eTag().endsWith("-4\""), head.eTag());
        assertEquals("application/octet-stream", head.contentType());
        assertEquals(null, head.cacheControl(), "nothing the browser adds on its own is stored with the object");
        browser.screenshots("objects");
    }

    @Test
    @Order(5)
    void pausesResumesAndRetriesFailedParts() throws Exception {
        browser.open("#/b/" + BUCKET + "/2026%2F");
        browser.awaitVisible("#object-table", UI);
        Path paused = TestFiles.random(dir.resolve("files/paused.bin"), 20 * TestFiles.MiB, 17);
        browser.network(2 * TestFiles.MiB, false);
        try {
            browser.find("#file-input").sendKeys(paused.toString());
            browser.await("some of paused.bin sent", UI, d -> ((Number) upload("2026/paused.bin").get("value")).doubleValue() > 0);
            clickUploadButton("2026/paused.bin", "button.pause");
            awaitUpload("2026/paused.bin", "paused", UI);
            double atPause = ((Number) upload("2026/paused.bin").get("value")).doubleValue();
            ServerProcess.sleep(1500);
            assertEquals(atPause, ((Number) upload("2026/paused.bin").get("value")).doubleValue(), "no progress while paused");
            browser.network(0, false);
            clickUploadButton("2026/paused.bin", "button.resume");
            awaitUpload("2026/paused.bin", "done", Duration.ofMinutes(2));
        } finally {
            browser.network(0, false);
        }
        assertEquals(TestFiles.sha256(paused), SeededObjects.getSha256(s3, BUCKET, "2026/paused.bin"));

        Path retried = TestFiles.random(dir.resolve("files/retried.bin"), 40 * TestFiles.MiB, 19);
        browser.network(2 * TestFiles.MiB, false);
        try {
            browser.find("#file-input").sendKeys(retried.toString());
            browser.await("some of retried.bin sent", UI, d -> ((Number) upload("2026/retried.bin").get("value")).doubleValue() > 0);
            browser.network(0, true); // the network goes away: parts fail, are retried, then the upload fails
            Map<String, Object> failed = awaitUpload("2026/retried.bin", "failed", Duration.ofMinutes(2));
            assertTrue(String.valueOf(failed.get("text")).contains("failed"), String.valueOf(failed.get("text")));
            browser.network(0, false);
            clickUploadButton("2026/retried.bin", "button.retry");
            awaitUpload("2026/retried.bin", "done", Duration.ofMinutes(2));
        } finally {
            browser.network(0, false);
        }
        assertEquals(TestFiles.sha256(retried), SeededObjects.getSha256(s3, BUCKET, "2026/retried.bin"));
        assertTrue(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().isEmpty(), "no upload left open");
    }

    private static void clickUploadButton(String key, String css) {
        browser.await(key + " has " + css, UI, d -> Boolean.TRUE.equals(browser.js(
                "const li = [...document.querySelectorAll('li.upload')].find(l => l.dataset.key === arguments[0]);"
                        + " const b = li && li.querySelector(arguments[1]); if (b) b.click(); return Boolean(b);", key, css)));
    }

    @Test
    @Order(6)
    void navigatesFoldersAndDownloadsTheSameBytes() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("2026/summer/beach.txt"), RequestBody.fromString("sand"));
        s3.putObject(b -> b.bucket(BUCKET).key("2026/summer/sea/deep.txt"), RequestBody.fromString("water"));
        browser.open("");
        browser.click("tr[data-bucket='" + BUCKET + "'] a.bucket-link");
        browser.click("tr.folder[data-prefix='2026/'] a.folder-link");
        browser.click("tr.folder[data-prefix='2026/summer/'] a.folder-link");
        browser.awaitVisible("tr.object[data-key='2026/summer/beach.txt']", UI);
        browser.awaitVisible("tr.folder[data-prefix='2026/summer/sea/']", UI);
        assertEquals("Buckets / photos / 2026 / summer", browser.find("#crumbs").getText().replace("\n", " "));
        browser.find("#crumbs").findElements(org.openqa.selenium.By.tagName("a")).stream()
                .filter(a -> a.getText().equals("2026")).findFirst().orElseThrow().click();
        WebElement row = browser.awaitVisible("tr.object[data-key='2026/holiday.bin']", UI);
        browser.click("#sort-size");
        assertEquals(List.of("2026/paused.bin", "2026/holiday.bin", "2026/retried.bin"), shownKeys());
        browser.click("#sort-size");
        assertEquals(List.of("2026/retried.bin", "2026/holiday.bin", "2026/paused.bin"), shownKeys());
        assertTrue(browser.text("#page-info").contains("sorted within this page"));
        row = browser.find("tr.object[data-key='2026/holiday.bin']");
        row.findElement(org.openqa.selenium.By.cssSelector("button.download")).click();
        Path downloaded = browser.awaitDownload("holiday.bin", 30 * TestFiles.MiB, Duration.ofMinutes(1));
        assertEquals(TestFiles.sha256(holiday), TestFiles.sha256(downloaded));
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownKeys() {
        return (List<String>) browser.js("return [...document.querySelectorAll('tr.object')].map(r => r.dataset.key)");
    }

    @Test
    @Order(7)
    void uploadsFilesDroppedOnTheFolder() {
        browser.open("#/b/" + BUCKET + "/2026%2Fsummer%2F");
        browser.awaitVisible("tr.object[data-key='2026/summer/beach.txt']", UI);
        browser.js("const dt = new DataTransfer();"
                + " dt.items.add(new File(['dropped bytes'], 'dropped.txt', {type: 'text/plain'}));"
                + " const target = document.getElementById('browser');"
                + " target.dispatchEvent(new DragEvent('dragenter', {dataTransfer: dt, bubbles: true}));"
                + " target.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true}));");
        awaitUpload("2026/summer/dropped.txt", "done", UI);
        browser.awaitVisible("tr.object[data-key='2026/summer/dropped.txt']", UI);
        assertEquals("dropped bytes", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("2026/summer/dropped.txt")).asUtf8String());
        assertEquals("text/plain", s3.headObject(b -> b.bucket(BUCKET).key("2026/summer/dropped.txt")).contentType());
    }

    @Test
    @Order(8)
    void sharesALinkThatPlainHttpFetchesAndAQrCodeThatReadsBack() throws Exception {
        browser.open("#/o/" + BUCKET + "/2026%2Fholiday.bin");
        browser.awaitText("#prop-size", "31,457,280 bytes", UI);
        browser.click("#share");
        browser.awaitVisible("#share-dialog", UI);
        new org.openqa.selenium.support.ui.Select(browser.find("#share-expiry")).selectByValue("3600");
        browser.click("#share-create");
        String link = browser.await("a share link", UI, d -> {
            String v = browser.find("#share-url").getDomProperty("value");
            return v == null || v.isEmpty() ? null : v;
        });
        assertTrue(link.startsWith(cluster.server().endpoint() + "/" + BUCKET + "/2026/holiday.bin?"), link);
        assertTrue(link.contains("X-Amz-Expires=3600"), link);
        HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals(TestFiles.sha256(holiday), SeededBytes.sha256(r.body()));

        String png = (String) browser.js("return document.getElementById('share-qr').toDataURL('image/png')");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
                Map.of(DecodeHintType.PURE_BARCODE, true)).getText();
        assertEquals(link, decoded);
        browser.screenshots("share");
        browser.click("#share-close");
    }

    /** A one-page PDF with no content: enough for the viewer. */
    private static final String TINY_PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            + "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    @Order(9)
    void showsDetailsMetadataTagsAndPreviews() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("notes/readme.txt").contentType("text/plain")
                .metadata(Map.of("author", "Ada")).tagging("team=storage")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32),
                RequestBody.fromString("Hello from Cairn\nline 2"));
        s3.putObject(b -> b.bucket(BUCKET).key("notes/tiny.pdf"), RequestBody.fromString(TINY_PDF));
        s3.putObject(b -> b.bucket(BUCKET).key("notes/gradient.png").contentType("image/png"), RequestBody.fromBytes(png(64, 48)));
        browser.open("#/o/" + BUCKET + "/notes%2Freadme.txt");
        assertEquals("Hello from Cairn\nline 2", browser.awaitVisible("#preview-text", UI).getText());
        browser.awaitText("#metadata", "author", UI);
        assertTrue(browser.find("#metadata").getText().contains("Ada"));
        browser.awaitText("#tags", "storage", UI);
        assertEquals("text/plain", browser.find("#prop-type").getText());
        assertEquals("STANDARD", browser.find("#prop-class").getText());
        assertTrue(browser.find("#prop-etag").getText().startsWith("\""));
        String crc32 = s3.headObject(b -> b.bucket(BUCKET).key("notes/readme.txt")
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumCRC32();
        assertNotNull(crc32);
        assertEquals("CRC32 " + crc32, browser.find("#prop-checksums div").getText());

        browser.open("#/o/" + BUCKET + "/notes%2Ftiny.pdf");
        WebElement pdf = browser.awaitVisible("#preview-pdf", UI);
        assertTrue(pdf.getDomAttribute("src").startsWith("blob:" + cluster.server().adminUri().toString().replaceAll("/$", "")),
                pdf.getDomAttribute("src"));

        browser.open("#/o/" + BUCKET + "/notes%2Fgradient.png");
        browser.awaitVisible("#preview-image", UI);
        browser.await("the image decoded", UI, d -> ((Number) browser.js(
                "return document.getElementById('preview-image').naturalWidth")).intValue() == 64);
        browser.screenshots("details");
    }

    @Test
    @Order(10)
    void rendersEveryNameAsText() throws Exception {
        String evil = "<img src=x onerror=window.__xss=1>";
        String script = "<script>window.__xss=2</script>";
        s3.putObject(b -> b.bucket(BUCKET).key(evil).metadata(Map.of("note", script)), RequestBody.fromString("x"));
        Path named = TestFiles.random(dir.resolve("files/<img src=x onerror=window.__xss=3>.txt"), 10, 23);
        browser.open("#/b/" + BUCKET + "/");
        browser.awaitVisible("#object-table", UI);
        browser.find("#file-input").sendKeys(named.toString());
        awaitUpload("<img src=x onerror=window.__xss=3>.txt", "done", UI);
        browser.await("both names listed", UI, d -> Boolean.TRUE.equals(browser.js(
                "const names = [...document.querySelectorAll('tr.object a.object-link')].map(a => a.textContent);"
                        + "return names.includes(arguments[0]) && names.includes(arguments[1]);",
                evil, "<img src=x onerror=window.__xss=3>.txt")));
        assertNoScriptRan();
        browser.screenshots("names-as-text");

        browser.open("#/o/" + BUCKET + "/" + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
        browser.awaitText("#metadata", script, UI);
        assertEquals(evil, browser.find("h1.object-name").getText());
        assertNoScriptRan();
    }

    private static void assertNoScriptRan() {
        assertEquals(0L, browser.js("return document.querySelectorAll('img[src=\"x\"], script:not([src])').length"));
        assertEquals(null, browser.js("return window.__xss === undefined ? null : window.__xss"));
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
    }

    @Test
    @Order(11)
    void deletesSeveralObjectsAfterConfirming() {
        for (int i = 0; i < 3; i++) {
            String key = "trash/item-" + i;
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("t" + key));
        }
        browser.open("#/b/" + BUCKET + "/trash%2F");
        browser.awaitVisible("tr.object[data-key='trash/item-2']", UI);
        browser.find("tr.object[data-key='trash/item-0'] input.select").click();
        browser.find("tr.object[data-key='trash/item-2'] input.select").click();
        assertEquals("Delete (2)", browser.find("#delete-selected").getText());
        browser.click("#delete-selected");
        browser.click("#confirm-cancel");
        assertEquals(3, s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("trash/")).keyCount());
        browser.click("#delete-selected");
        browser.awaitText("dialog.modal", "trash/item-2", UI);
        browser.click("#confirm-ok");
        browser.await("two rows gone", UI, d -> browser.all("tr.object").size() == 1);
        assertEquals(List.of("trash/item-1"), s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("trash/")).contents().stream()
                .map(o -> o.key()).toList());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key("trash/item-0")));
    }

    @Test
    @Order(12)
    void deletesABucketOnlyWhenItIsEmpty() {
        browser.open("");
        browser.type("#new-bucket", "scratch");
        browser.click("#create-bucket-button");
        browser.awaitVisible("tr[data-bucket='scratch']", UI);
        s3.putObject(b -> b.bucket("scratch").key("left"), RequestBody.fromString("x"));
        browser.click("tr[data-bucket='scratch'] button.delete-bucket");
        browser.click("#confirm-ok");
        browser.awaitText("#toasts", "“scratch” is not empty", UI);
        s3.deleteObject(b -> b.bucket("scratch").key("left"));
        browser.click("tr[data-bucket='scratch'] button.delete-bucket");
        browser.click("#confirm-ok");
        browser.await("scratch gone", UI, d -> browser.all("tr[data-bucket='scratch']").isEmpty());
        assertTrue(s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals("scratch")));
    }

    @Test
    @Order(13)
    void signsOutAndEndedSessionsSignOutToo() {
        browser.open("");
        browser.click("#sign-out");
        browser.awaitVisible("#access-key", UI);
        assertEquals("{}", browser.js("return JSON.stringify(sessionStorage)"));
        browser.open("#/b/" + BUCKET + "/");
        browser.awaitVisible("#access-key", UI);

        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
        browser.awaitVisible("#browser", UI); // signed in where the link pointed
        browser.js("const k = 'cairn.console.session'; const s = JSON.parse(sessionStorage.getItem(k));"
                + " s.expiresAt = Date.now() - 1000; sessionStorage.setItem(k, JSON.stringify(s));");
        browser.driver().navigate().refresh();
        browser.awaitVisible("#access-key", UI);
        assertEquals("{}", browser.js("return JSON.stringify(sessionStorage)"));
    }
}
