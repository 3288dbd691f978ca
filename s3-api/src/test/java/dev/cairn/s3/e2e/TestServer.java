package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.s3.CairnServer;
import dev.cairn.s3.ServerConfig;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Cairn server on port 0 over a temp data dir, for end-to-end tests, with AWS SDK v2
 * clients configured as the style guide says (path style, us-east-1, static credentials).
 * Vert.x runs with a 100 ms blocked-thread limit so a blocking call on an event loop shows
 * in the log (and in {@link BlockedThreadLog}).
 */
public final class TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "CAIRNTESTACCESSKEY01";
    public static final String SECRET_KEY = "cairn/test/secret/key/0123456789abcdefgh";

    private final Path dataDir;
    private final boolean ownsDir;
    private CairnServer server;
    private final UnaryOperator<ServerConfig> customize;
    private final UnaryOperator<ChunkStoreClient> decorate;

    private TestServer(Path dataDir, boolean ownsDir, UnaryOperator<ServerConfig> customize,
                       UnaryOperator<ChunkStoreClient> decorate) {
        this.dataDir = dataDir;
        this.ownsDir = ownsDir;
        this.customize = customize;
        this.decorate = decorate;
    }

    public static TestServer start() {
        return start(c -> c);
    }

    /** Starts a server whose config (defaults, port 0, temp dir, test credentials) is then adjusted. */
    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        return start(customize, UnaryOperator.identity());
    }

    /**
     * As {@link #start(UnaryOperator)}, with every chunkstore client wrapped by {@code decorate}
     * (across restarts too), e.g. in a {@link dev.cairn.chunkstore.FaultInjectingChunkStoreClient}.
     */
    public static TestServer start(UnaryOperator<ServerConfig> customize, UnaryOperator<ChunkStoreClient> decorate) {
        try {
            TestServer t = new TestServer(Files.createTempDirectory("cairn-e2e"), true, customize, decorate);
            t.boot();
            return t;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private void boot() throws IOException {
        ServerConfig config = customize.apply(ServerConfig.defaults()
                .withDataDir(dataDir)
                .withPorts("127.0.0.1", 0, 0)
                .withCredentials(ACCESS_KEY, SECRET_KEY));
        VertxOptions options = new VertxOptions()
                .setMaxEventLoopExecuteTime(100)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                // every warning carries the blocked thread's stack
                .setWarningExceptionTime(90)
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
        server = CairnServer.start(config, options, decorate);
    }

    /** Closes the server cleanly and starts it again on the same data dir (new ports). */
    public void restart() {
        server.close();
        try {
            boot();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.s3Port());
    }

    public URI adminEndpoint() {
        return URI.create("http://127.0.0.1:" + server.adminPort());
    }

    public Path dataDir() {
        return dataDir;
    }

    public CairnServer server() {
        return server;
    }

    /** A sync client that sends checksums only when required (plain signed payloads). */
    public S3Client client() {
        return client(credentials());
    }

    /** As {@link #client()}, signing with other credentials (a user's access key). */
    public S3Client client(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The domain of {@link #startVirtualHosted}: buckets are addressed as {@code bucket.s3.cairn.test}. */
    public static final String DOMAIN = "s3.cairn.test";

    /**
     * Starts a server for a test class: one that also answers virtual-hosted-style requests for
     * {@link #DOMAIN} when the class is marked {@link VirtualHostStyle}.
     */
    public static TestServer startFor(TestInfo info, UnaryOperator<ServerConfig> customize) {
        return virtualHosted(info) ? start(c -> customize.apply(c).withDomain(DOMAIN)) : start(customize);
    }

    /** {@link #virtualHostClient()} for a class marked {@link VirtualHostStyle}, else {@link #client()}. */
    public S3Client clientFor(TestInfo info) {
        return virtualHosted(info) ? virtualHostClient() : client();
    }

    private static boolean virtualHosted(TestInfo info) {
        return info.getTestClass().orElseThrow().isAnnotationPresent(VirtualHostStyle.class);
    }

    /**
     * As {@link #client()}, but addressing buckets virtual-hosted style
     * ({@code http://bucket.s3.cairn.test:port/key}); every host name resolves to 127.0.0.1.
     */
    public S3Client virtualHostClient() {
        return S3Client.builder()
                .endpointOverride(URI.create("http://" + DOMAIN + ":" + server.s3Port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .forcePathStyle(false)
                .httpClient(ApacheHttpClient.builder()
                        .dnsResolver(host -> new InetAddress[]{InetAddress.getLoopbackAddress()})
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** A sync client on the SDK's default checksum settings (aws-chunked bodies with CRC32 trailers). */
    public S3Client defaultChecksumClient() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .build();
    }

    /** An async client (Netty) on default settings; {@code multipart} turns on the SDK's multipart uploads. */
    public S3AsyncClient asyncClient(boolean multipart) {
        return S3AsyncClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .multipartEnabled(multipart)
                .build();
    }

    public S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** An IAM client of the admin port's IAM Query API, signing as root. */
    public software.amazon.awssdk.services.iam.IamClient iamClient() {
        return software.amazon.awssdk.services.iam.IamClient.builder()
                .endpointOverride(adminEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .build();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A bucket name no other test uses. */
    public static String uniqueBucket(String hint) {
        String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        return (base + "-" + UUID.randomUUID().toString().substring(0, 8)).replaceAll("^-+", "b");
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp dir; best effort
            }
        }
    }
}
