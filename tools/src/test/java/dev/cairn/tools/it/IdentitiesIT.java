package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many users on the packaged server, driven by the clients people use, unchanged: root creates
 * alice and bob with {@code aws iam --endpoint-url http://HOST:ADMIN}; alice's bucket is closed to
 * bob until her bucket policy opens it; an explicit Deny beats the Allow; a public-read policy lets
 * an unsigned {@code curl} GET an object and nothing else; a deactivated key is refused; a user
 * policy limited to {@code s3:prefix=home/alice/} lists only that prefix; aws-cli v1's
 * {@code s3 presign} and boto3's default {@code generate_presigned_url} (both SigV2) download the
 * object; {@code cairn admin user} and {@code cairn admin quota} manage users and quotas; managed
 * policies attach and detach, and users, keys and inline policies are listed and deleted.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentitiesIT {
    @TempDir
    static Path classDir;
    private static ServerProcess server;
    private static AwsCli root;
    private static AwsCli alice;
    private static AwsCli bob;
    private static String[] bobKey;
    private static final String BUCKET = "alice-photos";

    @BeforeAll
    static void startServer() {
        Optional<Path> bin = ExternalTool.find("aws");
        if (bin.isPresent()) { // else every test skips, or fails under CI, in requireTools()
            server = ServerProcess.start("IdentitiesIT", classDir.resolve("data"));
            root = new AwsCli(server, bin.get(), classDir, Logs.dir("IdentitiesIT"));
        }
    }

    @BeforeEach
    void requireTools() {
        ExternalTool.require("aws");
        ExternalTool.require("curl");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Creates a user and an access key with {@code aws iam}; returns {id, secret}. */
    private static String[] createUser(String name) {
        JsonObject user = new JsonObject(root.iam("create-user", "--user-name", name).run().assertOk().stdout());
        assertEquals("arn:aws:iam::000000000000:user/" + name, user.getJsonObject("User").getString("Arn"));
        JsonObject key = new JsonObject(root.iam("create-access-key", "--user-name", name).run().assertOk().stdout())
                .getJsonObject("AccessKey");
        assertEquals("Active", key.getString("Status"));
        return new String[]{key.getString("AccessKeyId"), key.getString("SecretAccessKey")};
    }

    private static void denied(CommandLine.Result r, String what) {
        assertNotEquals(0, r.exitCode(), r.describe(what + " must be refused"));
        assertTrue(r.stderr().contains("AccessDenied") || r.stderr().contains("403"), r.describe(what));
    }

    private Path file(String name, String content) throws IOException {
        Path f = classDir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private static CommandLine.Result curl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(ExternalTool.require("curl").toString(), "-s", "-S",
                "-o", "-", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return CommandLine.of(cmd).timeout(Duration.ofMinutes(1)).logTo(Logs.dir("IdentitiesIT"), "curl").run();
    }

    /** The HTTP status curl printed last. */
    private static int status(CommandLine.Result r) {
        String out = r.assertOk().stdout().strip();
        return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1));
    }

    @Test
    @Order(1)
    void rootCreatesUsersAndAliceBucketIsClosedToBob() throws IOException {
        String[] aliceKey = createUser("alice");
        bobKey = createUser("bob");
        alice = root.as(aliceKey[0], aliceKey[1]);
        bob = root.as(bobKey[0], bobKey[1]);
        String users = root.iam("list-users", "--query", "Users[].UserName", "--output", "text").run().assertOk()
                .stdout();
        assertTrue(users.contains("alice") && users.contains("bob"), users);

        alice.ok("s3api", "create-bucket", "--bucket", BUCKET);
        alice.ok("s3", "cp", file("cat.txt", "meow").toString(), "s3://" + BUCKET + "/cat.txt");
        alice.ok("s3", "cp", file("plans.txt", "secret plans").toString(), "s3://" + BUCKET + "/secret/plans.txt");
        denied(bob.run("s3", "ls", "s3://" + BUCKET), "bob listing alice's bucket");
        denied(bob.run("s3api", "get-object", "--bucket", BUCKET, "--key", "cat.txt",
                classDir.resolve("bob-cat").toString()), "bob reading alice's object");
        denied(bob.run("s3api", "put-object", "--bucket", BUCKET, "--key", "bob.txt"), "bob writing");
        denied(bob.run("s3api", "get-bucket-policy", "--bucket", BUCKET), "bob reading the policy");
        assertFalse(bob.ok("s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text").stdout()
                .contains(BUCKET));
    }

    @Test
    @Order(2)
    void aBucketPolicyLetsBobReadAndAnExplicitDenyBeatsIt() throws IOException {
        Path policy = file("policy.json", """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"BobReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
                  "Action":["s3:GetObject","s3:ListBucket"],
                  "Resource":["arn:aws:s3:::alice-photos","arn:aws:s3:::alice-photos/*"]},
                 {"Sid":"NotTheSecrets","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
                  "Action":"s3:GetObject","Resource":"arn:aws:s3:::alice-photos/secret/*"}]}""");
        alice.ok("s3api", "put-bucket-policy", "--bucket", BUCKET, "--policy", "file://" + policy);
        assertTrue(bob.ok("s3", "ls", "s3://" + BUCKET + "/").stdout().contains("cat.txt"));
        bob.ok("s3", "cp", "s3://" + BUCKET + "/cat.txt", classDir.resolve("bob-cat.txt").toString());
        assertEquals("meow", Files.readString(classDir.resolve("bob-cat.txt")));
        denied(bob.run("s3", "cp", "s3://" + BUCKET + "/secret/plans.txt", classDir.resolve("bob-plans").toString()),
                "the explicit deny");
        denied(bob.run("s3", "rm", "s3://" + BUCKET + "/cat.txt"), "bob deleting");
    }

    @Test
    @Order(3)
    void aPublicReadPolicyLetsCurlGetAnObjectAndNothingElse() throws IOException {
        String site = "alice-site";
        alice.ok("s3api", "create-bucket", "--bucket", site);
        alice.ok("s3", "cp", file("index.html", "<h1>hello</h1>").toString(), "s3://" + site + "/index.html");
        Path policy = file("public.json", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::alice-site/*"}]}""");
        denied(alice.run("s3api", "put-bucket-policy", "--bucket", site, "--policy", "file://" + policy),
                "a public policy while BlockPublicPolicy is on");
        alice.ok("s3api", "delete-public-access-block", "--bucket", site);
        alice.ok("s3api", "put-bucket-policy", "--bucket", site, "--policy", "file://" + policy);

        String url = server.endpoint() + "/" + site;
        CommandLine.Result get = curl(url + "/index.html");
        assertEquals(200, status(get), get.describe("anonymous GET"));
        assertTrue(get.stdout().startsWith("<h1>hello</h1>"), get.describe("anonymous GET"));
        assertEquals(403, status(curl(url)), "anonymous listing");
        assertEquals(403, status(curl("-X", "PUT", "--data-binary", "x", url + "/evil.html")), "anonymous PUT");
        assertEquals(403, status(curl("-X", "DELETE", url + "/index.html")), "anonymous DELETE");
        assertEquals(403, status(curl(url + "/index.html?acl")), "anonymous GetObjectAcl");
        assertEquals(403, status(curl(server.endpoint() + "/" + BUCKET + "/cat.txt")), "another bucket");
    }

    @Test
    @Order(4)
    void aDeactivatedKeyIsRefusedUntilReactivated() {
        root.iam("update-access-key", "--user-name", "bob", "--access-key-id", bobKey[0], "--status", "Inactive")
                .run().assertOk();
        CommandLine.Result refused = bob.run("s3", "ls");
        assertNotEquals(0, refused.exitCode(), refused.describe("an inactive key"));
        assertTrue(refused.stderr().contains("InvalidAccessKeyId"), refused.describe("an inactive key"));
        assertTrue(root.iam("list-access-keys", "--user-name", "bob").run().assertOk().stdout().contains("Inactive"));
        root.iam("update-access-key", "--user-name", "bob", "--access-key-id", bobKey[0], "--status", "Active")
                .run().assertOk();
        bob.ok("s3", "ls");
    }

    @Test
    @Order(5)
    void aUserPolicyLimitedToAPrefixListsOnlyThatPrefix() throws IOException {
        root.ok("s3api", "create-bucket", "--bucket", "shared");
        for (String k : List.of("home/alice/a.txt", "home/bob/b.txt", "top.txt")) {
            root.ok("s3", "cp", file("f.txt", k).toString(), "s3://shared/" + k);
        }
        Path policy = file("home.json", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared",
                  "Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}},
                 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/home/${aws:username}/*"}]}""");
        root.iam("put-user-policy", "--user-name", "alice", "--policy-name", "home", "--policy-document",
                "file://" + policy).run().assertOk();
        String listed = alice.ok("s3api", "list-objects-v2", "--bucket", "shared", "--prefix", "home/alice/",
                "--query", "Contents[].Key", "--output", "text").stdout().strip();
        assertEquals("home/alice/a.txt", listed);
        denied(alice.run("s3api", "list-objects-v2", "--bucket", "shared"), "listing the whole bucket");
        denied(alice.run("s3api", "list-objects-v2", "--bucket", "shared", "--prefix", "home/bob/"),
                "listing bob's prefix");
        String got = root.iam("get-user-policy", "--user-name", "alice", "--policy-name", "home").run().assertOk()
                .stdout();
        assertTrue(got.contains("home/${aws:username}/*"), got);
    }

    @Test
    @Order(6)
    void awsCliAndBoto3DefaultPresignedUrlsDownloadTheObject() throws Exception {
        String url = alice.ok("s3", "presign", "s3://" + BUCKET + "/cat.txt", "--expires-in", "300").stdout().strip();
        assertTrue(url.contains("AWSAccessKeyId=") && url.contains("Signature=") && url.contains("Expires="),
                "aws-cli v1 presigns with SigV2 by default: " + url);
        CommandLine.Result get = curl(url);
        assertEquals(200, status(get), get.describe("the aws-cli presigned URL"));
        assertTrue(get.stdout().startsWith("meow"), get.describe("the aws-cli presigned URL"));
        assertEquals(403, status(curl(url.replace("cat.txt", "secret/plans.txt"))), "another key, same signature");

        Path python = ExternalTool.requirePythonModule("boto3");
        Path script = Path.of(IdentitiesIT.class.getResource("/boto3/presign.py").toURI());
        CommandLine.Result boto = CommandLine.of(python.toString(), script.toString(), BUCKET, "cat.txt")
                .unsetEnv(k -> k.startsWith("AWS_"))
                .env("CAIRN_ENDPOINT", server.endpoint())
                .env("AWS_ACCESS_KEY_ID", server.accessKey())
                .env("AWS_SECRET_ACCESS_KEY", server.secretKey())
                .env("AWS_DEFAULT_REGION", server.region())
                .env("AWS_CONFIG_FILE", classDir.resolve("aws-config-absent").toString())
                .env("AWS_SHARED_CREDENTIALS_FILE", classDir.resolve("aws-credentials-absent").toString())
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .timeout(Duration.ofMinutes(2)).logTo(Logs.dir("IdentitiesIT"), "boto3-presign").run().assertOk();
        assertTrue(boto.stdout().contains("ok presigned-url-is-sigv2"), boto.stdout());
        assertTrue(boto.stdout().contains("ok presigned-get-downloads-the-object"), boto.stdout());
    }

    @Test
    @Order(7)
    void cairnAdminManagesUsersAndQuotas() throws IOException {
        Map<String, String> env = Map.of("CAIRN_ROOT_ACCESS_KEY", server.accessKey(), "CAIRN_ROOT_SECRET_KEY",
                server.secretKey(), "CAIRN_ENDPOINT", server.adminUri().toString());
        CommandLine.Result created = cairn(env, "admin", "user", "create", "carol", "--with-key", "--json");
        JsonObject carol = new JsonObject(created.assertOk().stdout());
        String ak = carol.getJsonObject("accessKey").getString("accessKeyId");
        String sk = carol.getJsonObject("accessKey").getString("secretAccessKey");
        AwsCli asCarol = root.as(ak, sk);
        asCarol.ok("s3api", "create-bucket", "--bucket", "carol-box");
        assertTrue(cairn(env, "admin", "quota", "carol-box", "--max-bytes", "1KiB").assertOk().stdout()
                .contains("quota 1.0 KiB"));
        asCarol.ok("s3", "cp", file("small.txt", "x".repeat(600)).toString(), "s3://carol-box/small.txt");
        CommandLine.Result over = asCarol.run("s3", "cp", file("big.txt", "y".repeat(600)).toString(),
                "s3://carol-box/big.txt");
        assertNotEquals(0, over.exitCode(), over.describe("a write over quota"));
        assertTrue(over.stderr().contains("QuotaExceeded"), over.describe("a write over quota"));
        asCarol.ok("s3", "rm", "s3://carol-box/small.txt");
        asCarol.ok("s3", "cp", classDir.resolve("big.txt").toString(), "s3://carol-box/big.txt");

        cairn(env, "admin", "user", "quota", "carol", "--max-objects", "1").assertOk();
        CommandLine.Result shown = cairn(env, "admin", "user", "show", "carol").assertOk();
        assertTrue(shown.stdout().contains("quota:     any size, 1 objects"), shown.describe("show"));
        assertTrue(shown.stdout().contains("stored:    600 B in 1 objects"), shown.describe("show"));
        assertTrue(cairn(env, "admin", "user", "list").assertOk().stdout().contains("carol"));

        cairn(env, "admin", "user", "key", "deactivate", "carol", ak).assertOk();
        assertNotEquals(0, asCarol.run("s3", "ls").exitCode());
        cairn(env, "admin", "user", "key", "activate", "carol", ak).assertOk();
        asCarol.ok("s3", "ls");
        asCarol.ok("s3", "rm", "s3://carol-box/big.txt");
        asCarol.ok("s3api", "delete-bucket", "--bucket", "carol-box");
        CommandLine.Result conflict = cairn(env, "admin", "user", "delete", "carol");
        assertEquals(1, conflict.exitCode(), conflict.describe("deleting a user with keys"));
        assertTrue(conflict.stderr().contains("DeleteConflict"), conflict.describe("deleting a user with keys"));
        cairn(env, "admin", "user", "delete", "carol", "--force").assertOk();
        assertFalse(root.iam("list-users").run().assertOk().stdout().contains("carol"));
    }

    @Test
    @Order(8)
    void awsIamManagesPoliciesAndDeletesUsersAndKeys() throws IOException {
        String[] danKey = createUser("dan");
        AwsCli dan = root.as(danKey[0], danKey[1]);
        denied(dan.run("s3", "ls", "s3://" + BUCKET), "dan before any policy");
        Path read = file("read.json", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],
                 "Resource":["arn:aws:s3:::alice-photos","arn:aws:s3:::alice-photos/*"]}]}""");
        String arn = new JsonObject(root.iam("create-policy", "--policy-name", "PhotoReaders", "--policy-document",
                "file://" + read).run().assertOk().stdout()).getJsonObject("Policy").getString("Arn");
        assertEquals("arn:aws:iam::000000000000:policy/PhotoReaders", arn);
        root.iam("attach-user-policy", "--user-name", "dan", "--policy-arn", arn).run().assertOk();
        assertTrue(dan.ok("s3", "ls", "s3://" + BUCKET + "/").stdout().contains("cat.txt"));

        root.iam("put-user-policy", "--user-name", "dan", "--policy-name", "inline", "--policy-document",
                "file://" + read).run().assertOk();
        assertEquals("inline", root.iam("list-user-policies", "--user-name", "dan", "--query", "PolicyNames[]",
                "--output", "text").run().assertOk().stdout().strip());
        root.iam("delete-user-policy", "--user-name", "dan", "--policy-name", "inline").run().assertOk();
        assertEquals("", root.iam("list-user-policies", "--user-name", "dan", "--query", "PolicyNames[]",
                "--output", "text").run().assertOk().stdout().strip());
        CommandLine.Result malformed = root.iam("put-user-policy", "--user-name", "dan", "--policy-name", "bad",
                "--policy-document", "{\"Statement\":42}").run();
        assertTrue(malformed.stderr().contains("MalformedPolicyDocument"), malformed.describe("a malformed policy"));

        CommandLine.Result conflict = root.iam("delete-user", "--user-name", "dan").run();
        assertTrue(conflict.stderr().contains("DeleteConflict"), conflict.describe("deleting dan with a key"));
        root.iam("delete-access-key", "--user-name", "dan", "--access-key-id", danKey[0]).run().assertOk();
        CommandLine.Result gone = dan.run("s3", "ls");
        assertTrue(gone.stderr().contains("InvalidAccessKeyId"), gone.describe("a deleted key"));
        root.iam("detach-user-policy", "--user-name", "dan", "--policy-arn", arn).run().assertOk();
        root.iam("delete-user", "--user-name", "dan").run().assertOk();
        CommandLine.Result noUser = root.iam("get-user", "--user-name", "dan").run();
        assertTrue(noUser.stderr().contains("NoSuchEntity"), noUser.describe("a deleted user"));
        root.iam("delete-policy", "--policy-arn", arn).run().assertOk();
    }

    private static CommandLine.Result cairn(Map<String, String> env, String... args) {
        return ClusterFixture.cairn("IdentitiesIT", env, List.of(args));
    }
}
