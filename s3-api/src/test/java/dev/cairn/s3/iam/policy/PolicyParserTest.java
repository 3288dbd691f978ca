package dev.cairn.s3.iam.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a stored policy must look like; anything else is MalformedPolicy, never stored and never half-applied. */
class PolicyParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "[]",
            "not json",
            "{\"Version\":\"2012-10-17\"}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
            "{\"Version\":\"2013-01-01\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Permit\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotPrincipal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotAction\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"alice\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Somebody\":\"x\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringSortOf\":{\"aws:Referer\":\"x\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringLike\":{\"foo:bar\":\"x\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"example.com\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.256\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"yesterday\"}}}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Unknown\":1}}",
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},\"Extra\":true}",
    })
    void refusesMalformedBucketPolicies(String json) {
        assertThrows(MalformedPolicyException.class, () -> PolicyParser.bucketPolicy(json, "b"));
    }

    @Test
    void identityPoliciesHaveNoPrincipal() {
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> PolicyParser.identityPolicy(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}"));
        assertTrue(e.getMessage().contains("principal"));
        PolicyDocument ok = PolicyParser.identityPolicy("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}");
        assertEquals(1, ok.statements().size());
    }

    @Test
    void acceptsTheDocumentedForms() {
        PolicyDocument p = PolicyParser.bucketPolicy("{\"Id\":\"x\",\"Statement\":[{\"Sid\":\"1\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":[\"000000000000\",\"arn:aws:iam::000000000000:user/a\",\"*\"],"
                + "\"CanonicalUser\":\"abc\"},\"NotAction\":[\"s3:Get*\"],\"NotResource\":\"arn:aws:s3:::b/pub/*\","
                + "\"Condition\":{\"ForAnyValue:StringLikeIfExists\":{\"s3:RequestObjectTagKeys\":[\"a*\",\"b\"]},"
                + "\"Null\":{\"aws:Referer\":true},\"NumericGreaterThan\":{\"s3:max-keys\":5}}}]}", "b");
        assertEquals(PolicyDocument.OLD_VERSION, p.version());
        PolicyDocument.Statement s = p.statements().get(0);
        assertTrue(s.notAction() && s.notResource() && s.principal().anyone());
        assertEquals(3, s.conditions().size());
    }
}
