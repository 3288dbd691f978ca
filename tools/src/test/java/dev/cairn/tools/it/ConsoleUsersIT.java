package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's Users page in a real browser: root creates a user, gives it an access key whose
 * secret is shown once and works with the SDK, deactivates the key (refused with
 * InvalidAccessKeyId), activates and deletes it, and deletes the user; a user signed in with its
 * own key sees no Users section.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleUsersIT {
    private static final Duration UI = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        if (!ConsoleBrowser.available()) {
            return; // @BeforeEach skips (or fails under CI)
        }
        server = ServerProcess.start("ConsoleUsersIT", dir.resolve("server"));
        browser = ConsoleBrowser.start(dir.resolve("browser"), server.adminUri());
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
        if (server != null) {
            server.close();
        }
    }

    private static S3Client s3As(String accessKey, String secretKey) {
        return server.s3ClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKey, secretKey))).build();
    }

    private static String row(String user) {
        return "#user-table tr[data-user='" + user + "']";
    }

    private static String keyRow(String user, String key) {
        return row(user) + " li[data-key='" + key + "']";
    }

    @Test
    void rootManagesUsersAndKeysAndAUserSeesNoUsersPage() {
        browser.open("#/users");
        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
        browser.awaitText("#view h1", "Users", UI);
        browser.awaitText("#view .empty", "No users yet", UI);

        browser.type("#new-user", "bad name!");
        browser.click("#create-user-button");
        browser.awaitText("#user-error", "A user name is", UI);
        browser.type("#new-user", "zoe");
        browser.click("#create-user-button");
        browser.awaitVisible(row("zoe"), UI);
        browser.type("#new-user", "zoe");
        browser.click("#create-user-button");
        browser.awaitText("#user-error", "already exists", UI);

        browser.click(row("zoe") + " .create-key");
        String id = browser.awaitVisible("#new-key-id", UI).getText();
        String secret = browser.find("#new-key-secret").getText();
        browser.awaitVisible(keyRow("zoe", id), UI);
        browser.screenshots("users");
        try (S3Client zoe = s3As(id, secret)) {
            zoe.createBucket(b -> b.bucket("zoe-bucket"));
            assertEquals(List.of("zoe-bucket"), zoe.listBuckets().buckets().stream().map(b -> b.name()).toList());

            browser.click(keyRow("zoe", id) + " .toggle-key");
            browser.await("the key shown inactive", UI,
                    d -> "Inactive".equals(browser.find(keyRow("zoe", id)).getAttribute("data-status")));
            S3Exception refused = assertThrows(S3Exception.class, zoe::listBuckets);
            assertEquals("InvalidAccessKeyId", refused.awsErrorDetails().errorCode());

            browser.click(keyRow("zoe", id) + " .toggle-key");
            browser.await("the key shown active", UI,
                    d -> "Active".equals(browser.find(keyRow("zoe", id)).getAttribute("data-status")));
            zoe.listBuckets();
            zoe.deleteBucket(b -> b.bucket("zoe-bucket"));

            browser.click("#dismiss-key");
            browser.click(keyRow("zoe", id) + " .delete-key");
            browser.click("#confirm-ok");
            browser.await("the key gone", UI, d -> browser.all(keyRow("zoe", id)).isEmpty());
            assertEquals("InvalidAccessKeyId", assertThrows(S3Exception.class, zoe::listBuckets)
                    .awsErrorDetails().errorCode());
        }

        browser.click(row("zoe") + " .create-key");
        String id2 = browser.awaitVisible("#new-key-id", UI).getText();
        String secret2 = browser.find("#new-key-secret").getText();
        browser.awaitVisible(keyRow("zoe", id2), UI);
        browser.click("#sign-out");
        browser.signIn(id2, secret2);
        browser.awaitVisible("#nav-buckets", UI);
        assertTrue(browser.all("#nav-users").isEmpty(), "a user sees no Users section");
        assertTrue(browser.all("#nav-dashboard").isEmpty(), "a user sees no dashboard");

        browser.click("#sign-out");
        browser.signIn(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY);
        browser.click("#nav-users");
        browser.awaitVisible(row("zoe"), UI);
        browser.click(row("zoe") + " .delete-user");
        browser.click("#confirm-ok");
        browser.awaitText("#view .empty", "No users yet", UI);
        try (S3Client zoe = s3As(id2, secret2)) {
            assertEquals("InvalidAccessKeyId", assertThrows(S3Exception.class, zoe::listBuckets)
                    .awsErrorDetails().errorCode());
        }
        assertFalse(browser.text("#view").contains("zoe"));
    }
}
