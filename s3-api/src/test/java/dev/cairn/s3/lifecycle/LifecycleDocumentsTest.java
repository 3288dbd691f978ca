package dev.cairn.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.cairn.s3.S3Exception;
import dev.cairn.s3.xml.LifecycleDocuments;

/** The LifecycleConfiguration document: AWS's examples parse, AWS's refusals are refused with its codes. */
class LifecycleDocumentsTest {

    /** The classes the server under test maps onto protections of their own (--storage-classes). */
    private static final Set<String> SERVED = Set.of("STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING");

    private static LifecycleConfiguration parse(String rules) {
        return LifecycleDocuments.parse(("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + rules + "</LifecycleConfiguration>").getBytes(StandardCharsets.UTF_8), () -> "generated",
                SERVED::contains);
    }

    private static String rule(String body) {
        return "<Rule>" + body + "</Rule>";
    }

    @Test
    void awsExamplesParseAndWriteBackToTheSameRules() {
        LifecycleConfiguration c = parse(
                rule("<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                        + "<Expiration><Days>365</Days></Expiration>")
                + rule("<ID>tagged</ID><Filter><And><Prefix>tax/</Prefix><Tag><Key>k1</Key><Value>v1</Value></Tag>"
                        + "<Tag><Key>k2</Key><Value>v2</Value></Tag><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>"
                        + "<ObjectSizeLessThan>64000</ObjectSizeLessThan></And></Filter><Status>Disabled</Status>"
                        + "<Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration>")
                + rule("<Filter></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>30"
                        + "</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions>"
                        + "</NoncurrentVersionExpiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7"
                        + "</DaysAfterInitiation></AbortIncompleteMultipartUpload>")
                + rule("<ID>markers</ID><Prefix></Prefix><Status>Enabled</Status><Expiration>"
                        + "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"));
        List<LifecycleRule> r = c.rules();
        assertEquals(4, r.size());
        assertEquals(365, r.get(0).expirationDays());
        assertEquals("logs/", r.get(0).filter().prefix());
        assertEquals(Map.of("k1", "v1", "k2", "v2"), r.get(1).filter().tags());
        assertEquals(500L, r.get(1).filter().sizeGreaterThan());
        assertEquals(64000L, r.get(1).filter().sizeLessThan());
        assertFalse(r.get(1).enabled());
        assertEquals(1_893_456_000_000L, r.get(1).expirationDateMillis());
        assertEquals("generated", r.get(2).id());
        assertEquals(30, r.get(2).noncurrentDays());
        assertEquals(3, r.get(2).newerNoncurrentVersions());
        assertEquals(7, r.get(2).abortDays());
        assertTrue(r.get(3).expiredObjectDeleteMarker());
        assertTrue(r.get(3).legacyPrefix());
        assertEquals(List.of(r.get(0), r.get(2), r.get(3)), c.enabled());

        byte[] written = LifecycleDocuments.write(c);
        assertEquals(c, LifecycleDocuments.parse(written, () -> "other"));
        assertEquals(new String(written, StandardCharsets.UTF_8),
                new String(LifecycleDocuments.write(LifecycleDocuments.parse(written, () -> "x")),
                        StandardCharsets.UTF_8));
    }

    @Test
    void transitionsParseAndWriteBackToTheSameRules() {
        LifecycleConfiguration c = parse(
                rule("<ID>down</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                        + "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                        + "<Transition><Days>60</Days><StorageClass>ONEZONE_IA</StorageClass></Transition>"
                        + "<Expiration><Days>365</Days></Expiration>"
                        + "<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays>"
                        + "<NewerNoncurrentVersions>2</NewerNoncurrentVersions>"
                        + "<StorageClass>INTELLIGENT_TIERING</StorageClass></NoncurrentVersionTransition>"
                        + "<NoncurrentVersionExpiration><NoncurrentDays>10</NoncurrentDays></NoncurrentVersionExpiration>")
                + rule("<ID>dated</ID><Filter/><Status>Enabled</Status><Transition><Date>2030-01-01T00:00:00Z</Date>"
                        + "<StorageClass>INTELLIGENT_TIERING</StorageClass></Transition>"));
        LifecycleRule down = c.rules().get(0);
        assertEquals(List.of(LifecycleTransition.current(30, null, "STANDARD_IA"),
                LifecycleTransition.current(60, null, "ONEZONE_IA")), down.transitions());
        assertEquals(List.of(LifecycleTransition.noncurrent(0, 2, "INTELLIGENT_TIERING")), down.noncurrentTransitions());
        assertEquals(List.of(LifecycleTransition.current(null, 1_893_456_000_000L, "INTELLIGENT_TIERING")),
                c.rules().get(1).transitions());
        assertTrue(c.rules().get(1).actsOnVersions());

        byte[] written = LifecycleDocuments.write(c);
        assertEquals(c, LifecycleDocuments.parse(written, () -> "other"));
        String xml = new String(written, StandardCharsets.UTF_8);
        assertTrue(xml.contains("<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"), xml);
        assertTrue(xml.contains("<Date>2030-01-01T00:00:00.000Z</Date>"), xml);
    }

    @Test
    void aStoredConfigurationParsesWithoutTheServedClasses() {
        byte[] stored = LifecycleDocuments.write(parse(rule("<ID>a</ID><Status>Enabled</Status>"
                + "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>")));
        // the server restarted without STANDARD_IA in --storage-classes: the worker still reads the rule
        assertEquals("STANDARD_IA", LifecycleDocuments.parse(stored, () -> "x").rules().get(0).transitions().get(0)
                .storageClass());
        S3Exception e = assertThrows(S3Exception.class, () -> LifecycleDocuments.parse(stored, () -> "x", Set.of()::contains));
        assertEquals("InvalidStorageClass", e.error().code());
    }

    @Test
    void aRuleWithoutFilterAppliesToEverything() {
        LifecycleRule r = parse(rule("<ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"))
                .rules().get(0);
        assertEquals(LifecycleFilter.ALL, r.filter());
        assertNull(r.expirationDateMillis());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no rule | MalformedXML | ",
            "bad status | MalformedXML | <Rule><ID>a</ID><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "no status | MalformedXML | <Rule><ID>a</ID><Expiration><Days>1</Days></Expiration></Rule>",
            "zero days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>",
            "negative days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>-3</Days></Expiration></Rule>",
            "days not a number | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>x</Days></Expiration></Rule>",
            "date not midnight | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration></Rule>",
            "date not a date | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Date>tomorrow</Date></Expiration></Rule>",
            "days and date | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>",
            "days and marker | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            "empty expiration | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration></Expiration></Rule>",
            "marker with a tag | InvalidArgument | <Rule><ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            "marker with a size | MalformedXML | <Rule><ID>a</ID><Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            "no action | InvalidRequest | <Rule><ID>a</ID><Status>Enabled</Status></Rule>",
            "duplicate ids | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>",
            "two predicates without And | MalformedXML | <Rule><ID>a</ID><Filter><Prefix>p</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "filter and prefix | MalformedXML | <Rule><ID>a</ID><Prefix>p</Prefix><Filter><Prefix>p</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "sizes the wrong way | InvalidArgument | <Rule><ID>a</ID><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "duplicate tag keys | InvalidArgument | <Rule><ID>a</ID><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "zero noncurrent days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
            "no noncurrent days | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionExpiration><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            "too many newer versions | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            "zero abort days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>",
            "abort with a tag | InvalidArgument | <Rule><ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>",
            "transition | NotImplemented | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            "noncurrent transition | NotImplemented | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition></Rule>",
            "transition to standard | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD</StorageClass></Transition></Rule>",
            "transition to an unknown class | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>COLD</StorageClass></Transition></Rule>",
            "transition to a class not served | InvalidStorageClass | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>GLACIER_IR</StorageClass></Transition></Rule>",
            "transition to deep archive | NotImplemented | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition></Rule>",
            "standard-ia under 30 days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>29</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
            "onezone-ia under 30 days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>ONEZONE_IA</StorageClass></Transition></Rule>",
            "negative transition days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>-1</Days><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "transition days not a number | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>x</Days><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "transition days and date | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>1</Days><Date>2030-01-01T00:00:00Z</Date><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "transition without days | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "transition without class | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>1</Days></Transition></Rule>",
            "transition date not midnight | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Date>2030-01-01T10:00:00Z</Date><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "one class twice | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>90</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
            "days and dates mixed | InvalidRequest | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>ONEZONE_IA</StorageClass></Transition></Rule>",
            "up the waterfall | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>ONEZONE_IA</StorageClass></Transition><Transition><Days>90</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
            "less than 30 days after standard-ia | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>45</Days><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition></Rule>",
            "expiration before the transition | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Expiration><Days>30</Days></Expiration></Rule>",
            "expiration date with transition days | InvalidRequest | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>",
            "noncurrent standard-ia under 30 days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition></Rule>",
            "noncurrent negative days | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>-2</NoncurrentDays><StorageClass>INTELLIGENT_TIERING</StorageClass></NoncurrentVersionTransition></Rule>",
            "noncurrent without days | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><StorageClass>INTELLIGENT_TIERING</StorageClass></NoncurrentVersionTransition></Rule>",
            "noncurrent zero newer versions | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>0</NewerNoncurrentVersions><StorageClass>INTELLIGENT_TIERING</StorageClass></NoncurrentVersionTransition></Rule>",
            "noncurrent to glacier | NotImplemented | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition></Rule>",
            "noncurrent expiration before the transition | InvalidArgument | <Rule><ID>a</ID><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>40</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>40</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
            "unknown element in a transition | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>INTELLIGENT_TIERING</StorageClass><Tier>x</Tier></Transition></Rule>",
            "unknown element | MalformedXML | <Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Colour>red</Colour></Rule>",
    })
    void refusesWhatAwsRefuses(String what, String code, String rules) {
        S3Exception e = assertThrows(S3Exception.class, () -> parse(rules == null ? "" : rules), what);
        assertEquals(code, e.error().code(), what + ": " + e.getMessage());
    }

    @Test
    void idsAreAtMost255CharactersAndRulesAtMost1000() {
        String longId = "i".repeat(256);
        S3Exception e = assertThrows(S3Exception.class, () -> parse(rule("<ID>" + longId
                + "</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>")));
        assertEquals("InvalidArgument", e.error().code());
        parse(rule("<ID>" + "i".repeat(255) + "</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"));

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(rule("<ID>r" + i + "</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"));
        }
        assertEquals("MalformedXML", assertThrows(S3Exception.class, () -> parse(many.toString())).error().code());
        String thousand = many.substring(0, many.lastIndexOf("<Rule>"));
        assertEquals(1000, parse(thousand).rules().size());
    }
}
