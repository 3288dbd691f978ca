package dev.cairn.s3.e2e;

/** Every {@link ListingTest} again with the SDK addressing buckets virtual-hosted style. */
@VirtualHostStyle
class VirtualHostListingTest extends ListingTest {
}
