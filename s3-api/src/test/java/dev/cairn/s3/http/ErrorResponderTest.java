package dev.cairn.s3.http;

import dev.cairn.metadata.MetadataException;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How metadata domain errors become S3 errors. */
class ErrorResponderTest {

    @Test
    void metadataConflictIsConditionalRequestConflictWith409() {
        S3Exception e = ErrorResponder.translate(null,
                new CompletionException(new MetadataException.Conflict("a part was uploaded again")));
        assertEquals(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT, e.error());
        assertEquals(409, e.error().status());
        assertEquals("ConditionalRequestConflict", e.error().code());
    }
}
