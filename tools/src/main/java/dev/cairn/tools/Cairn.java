package dev.cairn.tools;

import java.util.Arrays;
import java.util.List;

/** The {@code cairn} command. */
public final class Cairn {
    private static final String USAGE = """
            usage: cairn <command> [flags]

            commands:
              server      run the S3 gateway with its embedded chunkstore
                          flags: --data-dir DIR (./data)  --host ADDR (0.0.0.0)  --s3-port N (9000)
                                 --admin-port N (9001)  --chunk-size SIZE (4MiB)  --inline-threshold SIZE (16KiB)
                                 --gc-grace-seconds N (300)  --region NAME (us-east-1)
                                 --chunkstores N (1)  --chunkstore-dirs a,b,c  --protection auto|rsK+M|Ncopies
                                 --storage-classes CLASS=prot,...  (e.g. REDUCED_REDUNDANCY=2copies)
                                 --heartbeat-seconds N (5)  --down-after-seconds N (15)
                                 --domain example.com[,other.domain]  (virtual-hosted style BUCKET.DOMAIN too)
                                 --metrics-max-buckets N (100; buckets named in /metrics, the rest as "_other")
                                 --repair-grace DUR (10m)  --scrub-interval DUR (7d, at most 30d)
                                 --mover-bytes-per-second SIZE (64MiB)  --mover-moves-per-node N (2)
                                 --mover-pass-interval DUR (30s)  --movers-paused true|false (false)
                          every flag can also be set as CAIRN_<FLAG> (e.g. CAIRN_S3_PORT=9000);
                          root credentials: CAIRN_ROOT_ACCESS_KEY / CAIRN_ROOT_SECRET_KEY;
                          cluster secret shared with nodes: CAIRN_CLUSTER_SECRET
              chunkstore  run a storage node in its own process
                          flags: --data-dir DIR (./chunkstore-data)  --port N (9100; 0 = free port)  --host ADDR
                                 --join http://SERVER:9001  --advertise-host HOST (127.0.0.1)
                                 --capacity SIZE (unlimited)  --zone Z  --node-id ID  --heartbeat-seconds N (5)
                          needs CAIRN_CLUSTER_SECRET (the server's cluster secret)
              admin       nodes | summary | bucket-class BUCKET [CLASS|none] | drain NODE | remove NODE
                          | rebalance status | pause | resume | throttle [--bytes-per-second SIZE] [--moves-per-node N]
                          --endpoint URL (http://127.0.0.1:9001)  [--json true]
                          signed with the root credentials (CAIRN_ROOT_ACCESS_KEY / CAIRN_ROOT_SECRET_KEY)
              bench       load an S3 endpoint with concurrent streaming PUTs then GETs, verifying every byte
                          flags: --endpoint URL (http://127.0.0.1:9000)  --bucket NAME (cairn-bench)
                                 --size SIZE (64MiB)  --objects N (16)  --concurrency N (= objects)
                                 --access-key/--secret-key (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
              help        show this text
            """;

    private Cairn() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("cairn: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("cairn: " + e);
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "server":
                return ServerCommand.run(rest, System.getenv(), System.out);
            case "chunkstore":
                return ChunkstoreCommand.run(rest, System.getenv(), System.out);
            case "admin":
                return AdminCommand.run(rest, System.getenv(), System.out);
            case "bench":
                return BenchCommand.run(rest, System.getenv(), System.out);
            default:
                System.err.print(USAGE);
                throw new IllegalArgumentException("unknown command: " + args[0]);
        }
    }
}
