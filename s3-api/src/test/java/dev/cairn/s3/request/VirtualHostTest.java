package dev.cairn.s3.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Virtual-hosted-style addressing: the bucket named by the Host header, then parsed as the path style would be. */
class VirtualHostTest {

    @ParameterizedTest(name = "Host {0} + {1} -> bucket {2}, key {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "examplebucket.s3.example.com      | /photos/2006/February/sample.jpg | examplebucket    | photos/2006/February/sample.jpg",
            "examplebucket.s3.example.com:9000 | /a%20b                           | examplebucket    | a b",
            "my.dotted.bucket.s3.example.com   | /k                               | my.dotted.bucket | k",
            "examplebucket.S3.EXAMPLE.COM      | /                                | examplebucket    | null",
            "examplebucket.s3.example.com      | //double                         | examplebucket    | /double",
            "s3.example.com:9000               | /examplebucket/key               | examplebucket    | key",
            "127.0.0.1:9000                    | /examplebucket/key               | examplebucket    | key",
            "localhost                         | /examplebucket                   | examplebucket    | null",
            "bucket.other.org                  | /examplebucket/key               | examplebucket    | key",
            "[::1]:9000                        | /examplebucket/key               | examplebucket    | key",
    })
    void virtualHostedStyleTakesTheBucketFromTheHost(String host, String path, String bucket, String key) {
        String hostBucket = VirtualHost.bucket(host, VirtualHost.parseDomains("s3.example.com, other.test"));
        S3Request p = RequestParser.parse("GET", hostBucket, path, null, name -> null);
        assertEquals(bucket, p.bucketName());
        assertEquals(key, p.keyName());
    }

    @Test
    void withoutDomainsEveryHostIsPathStyle() {
        assertNull(VirtualHost.bucket("examplebucket.s3.example.com", java.util.List.of()));
    }

    @Test
    void virtualHostedRootIsABucketOperation() {
        String hostBucket = VirtualHost.bucket("examplebucket.s3.example.com", VirtualHost.parseDomains("s3.example.com"));
        assertEquals(S3Operation.LIST_OBJECTS_V2,
                RequestParser.parse("GET", hostBucket, "/", "list-type=2", name -> null).operation());
        assertEquals(S3Operation.PUT_OBJECT,
                RequestParser.parse("PUT", hostBucket, "/examplebucket", null, name -> null).operation());
    }
}
