package dev.cairn.tools;

import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandTest {

    @Test
    void domainFlagTakesSeveralCommaSeparatedDomains() {
        assertEquals(List.of("s3.example.com", "storage.local"),
                ServerCommand.config(List.of("--domain", "S3.Example.com, storage.local"), Map.of()).domains());
    }

    @Test
    void domainComesFromCairnDomainWhenNoFlagIsGiven() {
        assertEquals(List.of("example.com"),
                ServerCommand.config(List.of(), Map.of("CAIRN_DOMAIN", "example.com")).domains());
    }

    @Test
    void withoutDomainOnlyPathStyleIsServed() {
        assertEquals(List.of(), ServerCommand.config(List.of(), Map.of()).domains());
    }

    @Test
    void moversStartPausedOnlyWhenAskedAndTheValueMustBeABoolean() {
        assertEquals(false, ServerCommand.config(List.of(), Map.of()).movers().paused());
        assertEquals(true, ServerCommand.config(List.of("--movers-paused", "true"), Map.of()).movers().paused());
        assertEquals(true, ServerCommand.config(List.of(), Map.of("CAIRN_MOVERS_PAUSED", "TRUE")).movers().paused());
        assertEquals(true, ServerCommand.config(List.of("--movers-paused"), Map.of()).movers().paused(),
                "a boolean flag needs no value");
        assertEquals(false, ServerCommand.config(List.of("--movers-paused=false"),
                Map.of("CAIRN_MOVERS_PAUSED", "true")).movers().paused(), "the flag wins over the variable");
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--movers-paused", "yes"), Map.of()));
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of(), Map.of("CAIRN_MOVERS_PAUSED", "yes")));
    }

    @Test
    void metadataPeersReplicateWithNoChunkstoreInProcessAndNeedAnId() {
        assertEquals(null, ServerCommand.config(List.of(), Map.of()).replication());
        ServerConfig c = ServerCommand.config(List.of("--metadata-id", "b"),
                Map.of("CAIRN_METADATA_PEERS", "a=h1:9400,b=h2:9400,c=h3:9400"));
        assertEquals("b", c.replication().selfId());
        assertEquals("h2:9400", c.replication().peers().self("b").address());
        assertEquals(10_000, c.replication().snapshotEvery());
        assertEquals(8L << 20, c.replication().segmentBytes());
        assertEquals(0, c.chunkstores(), "nodes run in their own processes");
        var noId = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--metadata-peers", "a=h1:9400,b=h2:9400,c=h3:9400"), Map.of()));
        assertEquals("--metadata-peers needs --metadata-id (CAIRN_METADATA_ID): which of the peers this server is",
                noId.getMessage());
        var unknown = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--metadata-peers", "a=h1:9400,b=h2:9400,c=h3:9400",
                        "--metadata-id", "d"), Map.of()));
        assertEquals("--metadata-id 'd' is not one of the metadata peers [a, b, c]", unknown.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--metadata-peers", "a=h1:9400,b=h2:9400", "--metadata-id", "a"),
                        Map.of()), "two peers cannot survive losing one");
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--metadata-id", "a"), Map.of()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerCommand.config(List.of("--metadata-peers", "a=h1:9400,b=h2:9400,c=h3:9400",
                        "--metadata-id", "a", "--chunkstores", "1"), Map.of()));
    }

    @Test
    void aJoiningServerNamesItsGroupAndItself() {
        assertEquals(false, ServerCommand.config(List.of("--metadata-id", "b"),
                Map.of("CAIRN_METADATA_PEERS", "a=h1:9400,b=h2:9400,c=h3:9400")).replication().join());
        ServerConfig flag = ServerCommand.config(List.of("--metadata-peers", "a=h1:9400,b=h2:9400,c=h3:9400,d=h4:9400",
                "--metadata-id", "d", "--metadata-join"), Map.of());
        assertEquals(true, flag.replication().join());
        assertEquals("h4:9400", flag.replication().peers().self("d").address());
        assertEquals(true, ServerCommand.config(List.of("--metadata-id", "d"), Map.of("CAIRN_METADATA_PEERS",
                "a=h1:9400,b=h2:9400,c=h3:9400,d=h4:9400", "CAIRN_METADATA_JOIN", "true")).replication().join());
        var alone = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--metadata-join"), Map.of()));
        assertTrue(alone.getMessage().startsWith("--metadata-join needs --metadata-peers"), alone.getMessage());
    }

    @Test
    void tlsFilesComeFromTheFlagsOrTheirVariablesAndDefaultToPlainHttp() {
        assertEquals(null, ServerCommand.config(List.of(), Map.of()).tls());
        var flags = ServerCommand.config(List.of("--tls-cert", "/c.pem", "--tls-key", "/k.pem"), Map.of()).tls();
        assertEquals(java.nio.file.Path.of("/c.pem"), flags.certFile());
        assertEquals(java.nio.file.Path.of("/k.pem"), flags.keyFile());
        assertEquals(dev.cairn.chunkstore.tls.TlsFiles.DEFAULT_RELOAD_INTERVAL, flags.reloadInterval());
        var env = ServerCommand.config(List.of("--tls-key", "/flag.key"),
                Map.of("CAIRN_TLS_CERT", "/env.crt", "CAIRN_TLS_KEY", "/env.key")).tls();
        assertEquals(java.nio.file.Path.of("/env.crt"), env.certFile());
        assertEquals(java.nio.file.Path.of("/flag.key"), env.keyFile(), "the flag wins");
        var e = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of(), Map.of("CAIRN_TLS_CERT", "/env.crt")));
        assertEquals("--tls-cert needs --tls-key (CAIRN_TLS_KEY): the private key of the certificate", e.getMessage());
    }

    @Test
    void clusterTlsIsOffByDefaultAndItsCaFileMustParse() throws Exception {
        assertEquals(ServerConfig.ClusterTls.NONE, ServerCommand.config(List.of(), Map.of()).clusterTls());
        assertEquals(new ServerConfig.ClusterTls(true, null),
                ServerCommand.config(List.of("--cluster-tls"), Map.of()).clusterTls());
        assertEquals(new ServerConfig.ClusterTls(true, null),
                ServerCommand.config(List.of(), Map.of("CAIRN_CLUSTER_TLS", "true")).clusterTls());
        java.nio.file.Path notPem = java.nio.file.Files.createTempFile("cluster-ca", ".pem");
        try {
            java.nio.file.Files.writeString(notPem, "not a certificate");
            var e = org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                    () -> ServerCommand.config(List.of("--cluster-ca", notPem.toString()), Map.of()));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("--cluster-ca: "), e.getMessage());
        } finally {
            java.nio.file.Files.delete(notPem);
        }
    }

    @Test
    void aFlagGivenTwiceTakesTheLastValue() {
        assertEquals(9200, ServerCommand.config(List.of("--admin-port", "0", "--admin-port", "9200"), Map.of())
                .adminPort());
    }

    @Test
    void everyFlagHasItsVariableAndTheFlagWins() {
        Map<String, String> env = Map.of("CAIRN_S3_PORT", "7000", "CAIRN_CHUNK_SIZE", "8MiB", "CAIRN_REPAIR_GRACE", "90s",
                "CAIRN_STORAGE_CLASSES", "", "CAIRN_MOVER_BYTES_PER_SECOND", "1GiB");
        var fromEnv = ServerCommand.config(List.of(), env);
        assertEquals(7000, fromEnv.s3Port());
        assertEquals(8 << 20, fromEnv.chunkSize());
        assertEquals(java.time.Duration.ofSeconds(90), fromEnv.movers().repairGrace());
        assertEquals(1L << 30, fromEnv.movers().bytesPerSecond());
        assertEquals(ServerConfig.defaults().storageClasses(), fromEnv.storageClasses(), "empty variable is unset");
        var flags = ServerCommand.config(List.of("--s3-port", "7100", "--chunk-size=1MiB", "--repair-grace", "2m"), env);
        assertEquals(7100, flags.s3Port());
        assertEquals(1 << 20, flags.chunkSize());
        assertEquals(java.time.Duration.ofMinutes(2), flags.movers().repairGrace());
    }

    @Test
    void aLifecycleDayIsADayUnlessATestShortensIt() {
        ServerConfig d = ServerCommand.config(List.of(), Map.of());
        assertEquals(86_400_000L, d.lifecycle().days().dayMillis());
        assertEquals(java.time.Duration.ofHours(1), d.lifecycle().passInterval());
        assertEquals(200, d.lifecycle().actionsPerSecond());
        ServerConfig fast = ServerCommand.config(List.of("--lifecycle-day-seconds", "2"),
                Map.of("CAIRN_LIFECYCLE_ACTIONS_PER_SECOND", "20"));
        assertEquals(2000L, fast.lifecycle().days().dayMillis());
        assertEquals(java.time.Duration.ofMillis(250), fast.lifecycle().passInterval());
        assertEquals(20, fast.lifecycle().actionsPerSecond());
        assertEquals(3000L, ServerCommand.config(List.of(), Map.of("CAIRN_LIFECYCLE_DAY_SECONDS", "3")).lifecycle()
                .days().dayMillis());
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--lifecycle-day-seconds", "0"), Map.of()));
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--lifecycle-day-seconds", "86401"), Map.of()));
        org.junit.jupiter.api.Assertions.assertThrows(picocli.CommandLine.ParameterException.class,
                () -> ServerCommand.config(List.of("--lifecycle-actions-per-second", "0"), Map.of()));
    }
}
