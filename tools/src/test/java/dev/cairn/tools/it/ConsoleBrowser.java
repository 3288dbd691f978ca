package dev.cairn.tools.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (nothing is
 * downloaded: both binaries are given by path), with a fresh profile and a download folder of
 * its own. {@link #require} skips a test when either is missing, or fails it when CI is set.
 *
 * <p>Screenshots go to {@code tools/target/console-screenshots/NAME-1366x768.png} and
 * {@code NAME-390x844.png} (the viewport set exactly through the DevTools protocol).
 */
final class ConsoleBrowser implements AutoCloseable {
    static final String CHROMIUM = "chromium";
    static final String CHROMEDRIVER = "chromedriver";
    static final int[][] SIZES = {{1366, 768}, {390, 844}};
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowser.class);

    private final ChromeDriver driver;
    private final Path downloads;
    private final Path profile;
    private final URI console;

    private ConsoleBrowser(ChromeDriver driver, Path downloads, Path profile, URI console) {
        this.driver = driver;
        this.downloads = downloads;
        this.profile = profile;
        this.console = console;
    }

    /** Whether both binaries run here (call {@link #require} from {@code @BeforeEach} to skip or fail). */
    static boolean available() {
        return ExternalTool.find(CHROMIUM).isPresent() && ExternalTool.find(CHROMEDRIVER).isPresent();
    }

    static void require() {
        ExternalTool.require(CHROMIUM);
        ExternalTool.require(CHROMEDRIVER);
    }

    /** Starts Chromium on a fresh profile under {@code dir}; {@code console} is the admin endpoint. */
    static ConsoleBrowser start(Path dir, URI console) {
        try {
            Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
            Path downloads = Files.createDirectories(dir.resolve("downloads"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(ExternalTool.find(CHROMIUM).orElseThrow().toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--user-data-dir=" + profile, "--window-size=1366,768", "--lang=en-US");
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            prefs.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", prefs);
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(ExternalTool.find(CHROMEDRIVER).orElseThrow().toFile())
                    .usingAnyFreePort()
                    .withLogFile(Logs.dir("console").resolve("chromedriver.log").toFile())
                    .build();
            System.setProperty("webdriver.chrome.driver", ExternalTool.find(CHROMEDRIVER).orElseThrow().toString());
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toString()));
            return new ConsoleBrowser(driver, downloads, profile, console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    Path downloads() {
        return downloads;
    }

    URI console() {
        return console;
    }

    /** Opens the console at {@code hash} (e.g. {@code #/dashboard}). */
    void open(String hash) {
        driver.get(console.resolve("/").toString() + hash);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Optional<WebElement> maybe(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    <T> T await(String what, Duration limit, Function<org.openqa.selenium.WebDriver, T> condition) {
        long t0 = System.nanoTime();
        try {
            T result = new WebDriverWait(driver, limit, Duration.ofMillis(100)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition::apply);
            LOG.info("browser: {} after {} ms", what, (System.nanoTime() - t0) / 1_000_000);
            return result;
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not " + what + " within " + limit + "; page text:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Waits until an element matching css is displayed; returns it. */
    WebElement awaitVisible(String css, Duration limit) {
        return await(css + " visible", limit, d -> maybe(css).filter(WebElement::isDisplayed).orElse(null));
    }

    /** Waits until the element matching css contains text; returns its text. */
    String awaitText(String css, String text, Duration limit) {
        return await(css + " showing \"" + text + "\"", limit, d -> {
            String t = text(css);
            return t.contains(text) ? t : null;
        });
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Clicks the element matching css once it shows (found again if the page replaced it meanwhile). */
    void click(String css) {
        await("click on " + css, Duration.ofSeconds(20), d -> {
            WebElement e = maybe(css).filter(WebElement::isDisplayed).orElse(null);
            if (e == null) {
                return null;
            }
            e.click();
            return true;
        });
    }

    /** The text content of the first element matching css, "" when there is none. */
    String text(String css) {
        Object t = js("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return t == null ? "" : t.toString();
    }

    void type(String css, String text) {
        WebElement e = awaitVisible(css, Duration.ofSeconds(20));
        e.clear();
        e.sendKeys(text);
    }

    /** Signs in on the sign-in page (which must be showing). */
    void signIn(String accessKey, String secretKey) {
        type("#access-key", accessKey);
        type("#secret-key", secretKey);
        click("#sign-in");
    }

    /** Network conditions for this tab: uploads limited to bytesPerSecond (0: none), or offline. */
    void network(long uploadBytesPerSecond, boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", uploadBytesPerSecond > 0 ? uploadBytesPerSecond : -1));
    }

    /** A screenshot of the page at each of {@link #SIZES}, as NAME-WxH.png; the viewport is then 1366x768 again. */
    void screenshots(String name) {
        Path dir = screenshotDir();
        for (int[] size : SIZES) {
            viewport(size[0], size[1]);
            try {
                Files.write(dir.resolve(name + "-" + size[0] + "x" + size[1] + ".png"),
                        driver.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        viewport(SIZES[0][0], SIZES[0][1]);
    }

    /** The whole page at 1366 pixels wide, as NAME-1366-full.png. */
    void fullPageScreenshot(String name) {
        viewport(SIZES[0][0], SIZES[0][1]);
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        viewport(SIZES[0][0], (int) Math.min(4000, height));
        try {
            Files.write(screenshotDir().resolve(name + "-1366-full.png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            viewport(SIZES[0][0], SIZES[0][1]);
        }
    }

    static Path screenshotDir() {
        String configured = System.getProperty("cairn.console.screenshots");
        Path dir = Path.of(configured != null ? configured : "target/console-screenshots").toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 700));
        // let layout, the charts' resize handler and a frame happen at the new size
        jsAsync("const done = arguments[arguments.length - 1]; window.dispatchEvent(new Event('resize'));"
                + " requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)));");
    }

    /**
     * What the page's console logged since the last call that a page must never log: a refusal by
     * the Content-Security-Policy, or an uncaught error.
     */
    List<String> pageErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Uncaught"))
                .toList();
    }

    /** Waits for a finished download named {@code name} in the download folder. */
    Path awaitDownload(String name, long size, Duration limit) {
        Path file = downloads.resolve(name);
        await("download of " + name + " complete", limit, d -> {
            try {
                return Files.exists(file) && Files.size(file) == size
                        && !Files.exists(downloads.resolve(name + ".crdownload")) ? file : null;
            } catch (IOException e) {
                return null;
            }
        });
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            LOG.warn("closing the browser: {}", e.toString());
        }
        LOG.info("browser profile was {}", profile);
    }
}
