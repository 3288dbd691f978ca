package dev.cairn.s3.e2e;

/** Every {@link MultipartTest} again with the SDK addressing buckets virtual-hosted style. */
@VirtualHostStyle
class VirtualHostMultipartTest extends MultipartTest {
}
