package dev.cairn.s3.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every {@link ObjectOperationsTest} again with the SDK addressing buckets virtual-hosted style. */
@VirtualHostStyle
class VirtualHostObjectOperationsTest extends ObjectOperationsTest {

    @Test
    void sdkAddressesTheBucketInTheHostName() {
        assertEquals("some-bucket." + TestServer.DOMAIN,
                s3.utilities().getUrl(r -> r.bucket("some-bucket").key("k")).getHost());
    }
}
