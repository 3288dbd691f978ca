package dev.cairn.s3.iam.policy;

import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.policy.PolicyEvaluator.Decision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cairn.s3.iam.policy.PolicyEvaluator.Decision.ALLOW;
import static dev.cairn.s3.iam.policy.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static dev.cairn.s3.iam.policy.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The evaluator against the policies of the AWS documentation's examples (S3 bucket policy
 * examples, IAM identity policy examples, the condition operator reference): who asks, what, on
 * which resource, with which request keys, and whether ownership or an ACL already grants it.
 */
class PolicyEvaluatorTest {
    static final String B = "arn:aws:s3:::examplebucket";
    static final Principal ALICE = Principal.user("AKALICE", "alice", "AIDAALICE", "c-alice");
    static final Principal BOB = Principal.user("AKBOB", "bob", "AIDABOB", "c-bob");
    static final Principal ROOT = Principal.root("AKROOT");
    static final Principal ANON = Principal.ANONYMOUS;

    /** Public read (S3 example: "Granting read-only permission to a public anonymous user"). */
    static final String PUBLIC_READ = bucket("""
            {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],
             "Resource":["arn:aws:s3:::examplebucket/*"]}""");
    /** S3 example: "Restricting access to specific IP addresses" (deny outside 192.0.2.0/24). */
    static final String IP_DENY = bucket("""
            {"Sid":"IPAllow","Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"],
             "Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}""");
    /** S3 example: "Allowing IPv4 and IPv6 addresses". */
    static final String IP_MIXED = bucket("""
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:DB8:1234:5678::/64"]},
                          "NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678:ABCD::/80"]}}}""");
    /** S3 example: deny requests that do not use HTTPS (aws:SecureTransport). */
    static final String HTTPS_ONLY = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"],
             "Condition":{"Bool":{"aws:SecureTransport":"false"}}}""");
    /** S3 example: "Restricting access to a specific HTTP referer". */
    static final String REFERER = bucket("""
            {"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],
             "Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringLike":{"aws:Referer":["http://www.example.com/*","http://example.com/*"]}}}""");
    /** IAM example: home folder per user with s3:prefix and ${aws:username}. */
    static final String HOME_FOLDER = identity("""
            {"Sid":"AllowRootAndHomeListing","Effect":"Allow","Action":"s3:ListBucket",
             "Resource":"arn:aws:s3:::examplebucket",
             "Condition":{"StringEquals":{"s3:prefix":["","home/"],"s3:delimiter":["/"]}}},
            {"Sid":"AllowListingOfUserFolder","Effect":"Allow","Action":"s3:ListBucket",
             "Resource":"arn:aws:s3:::examplebucket","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},
            {"Sid":"AllowAllS3ActionsInUserFolder","Effect":"Allow","Action":"s3:*",
             "Resource":"arn:aws:s3:::examplebucket/home/${aws:username}/*"}""");
    /** S3 example: deny everyone but one user (NotPrincipal). */
    static final String ONLY_ALICE = bucket("""
            {"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::000000000000:user/alice"]},"Action":"s3:*",
             "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"]}""");
    /** Granting another user read access by ARN. */
    static final String BOB_READS = bucket("""
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
             "Action":["s3:GetObject","s3:ListBucket"],
             "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"]}""");
    /** The account as principal (every identity of the account). */
    static final String ACCOUNT_READS = bucket("""
            {"Effect":"Allow","Principal":{"AWS":["000000000000"]},"Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::examplebucket/*"}""");
    static final String CANONICAL_READS = bucket("""
            {"Effect":"Allow","Principal":{"CanonicalUser":"c-bob"},"Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::examplebucket/*"}""");
    /** S3 example: uploads must give the bucket owner full control (s3:x-amz-acl). */
    static final String OWNER_FULL_CONTROL = bucket("""
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"s3:PutObject",
             "Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}""");
    /** Deny uploads without a "project" tag (Null). */
    static final String TAG_REQUIRED = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"Null":{"s3:RequestObjectTag/project":"true"}}}""");
    /** S3 example: read only objects tagged classification=public (s3:ExistingObjectTag). */
    static final String EXISTING_TAG = identity("""
            {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringEquals":{"s3:ExistingObjectTag/classification":"public"}}}""");
    /** S3 example: restrict the tag keys an upload may carry (ForAllValues). */
    static final String ALLOWED_TAG_KEYS = identity("""
            {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"ForAllValues:StringLike":{"s3:RequestObjectTagKeys":["Owner","Creation*"]}}}""");
    static final String ANY_TAG_KEY = identity("""
            {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["Department"]}}}""");
    /** IAM example: access within a time window (aws:CurrentTime). */
    static final String TIME_WINDOW = identity("""
            {"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},
                          "DateLessThan":{"aws:CurrentTime":"2030-06-30T23:59:59Z"}}}""");
    /** S3 example: limit the page size of listings (s3:max-keys). */
    static final String MAX_KEYS = identity("""
            {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::examplebucket",
             "Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}""");
    static final String ALL_BUT_IAM = identity("""
            {"Effect":"Allow","NotAction":"iam:*","Resource":"*"}""");
    static final String NO_DELETES = identity("""
            {"Effect":"Allow","Action":"s3:*","Resource":"*"},
            {"Effect":"Deny","Action":["s3:DeleteObject","s3:DeleteObjectVersion"],"Resource":"*"}""");
    static final String ONLY_THIS_BUCKET = identity("""
            {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"]}""");
    static final String ACTION_PATTERNS = identity("""
            {"Effect":"Allow","Action":["S3:get*","s3:List?ucket"],"Resource":"*"}""");
    /** S3 example: deny unencrypted uploads (negated operator, absent key holds). */
    static final String SSE_REQUIRED = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}""");
    static final String SSE_IF_GIVEN = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}}""");
    static final String STANDARD_IF_GIVEN = identity("""
            {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringEqualsIfExists":{"s3:x-amz-storage-class":"STANDARD"}}}""");
    static final String OLD_VERSION = """
            {"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::examplebucket/${aws:username}/*"}]}""";
    static final String VARIABLE_DEFAULT = bucket("""
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::examplebucket/${aws:username, 'shared'}/*"}""");
    static final String DENY_ALL = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:*",
             "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"]}""");
    static final String SECURE_FROM_OFFICE = bucket("""
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"},"Bool":{"aws:SecureTransport":"true"}}}""");
    static final String USER_AGENT = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringLike":{"aws:UserAgent":["*curl*","*Wget*"]}}}""");
    static final String PREFIX_ONE_OF = identity("""
            {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::examplebucket",
             "Condition":{"StringEquals":{"s3:prefix":["projects/a/","projects/b/"]}}}""");
    static final String PRINCIPAL_TYPE = bucket("""
            {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::examplebucket/*",
             "Condition":{"StringEquals":{"aws:PrincipalType":"Anonymous"}}}""");

    record Case(String name, String policy, boolean bucketPolicy, Principal who, String action, String resource,
                Map<String, List<String>> keys, boolean granted, Decision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(bucketCase("public read: anonymous GetObject", PUBLIC_READ, ANON, "s3:GetObject", B + "/a.jpg", keys(), false, ALLOW));
        c.add(bucketCase("public read: anonymous GetObjectVersion", PUBLIC_READ, ANON, "s3:GetObjectVersion", B + "/a.jpg", keys(), false, ALLOW));
        c.add(bucketCase("public read: anonymous PutObject", PUBLIC_READ, ANON, "s3:PutObject", B + "/a.jpg", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("public read: anonymous ListBucket", PUBLIC_READ, ANON, "s3:ListBucket", B, keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("public read: another bucket", PUBLIC_READ, ANON, "s3:GetObject", "arn:aws:s3:::other/a.jpg", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("public read: a user too", PUBLIC_READ, BOB, "s3:GetObject", B + "/a.jpg", keys(), false, ALLOW));
        c.add(bucketCase("IP deny: outside the range beats the owner", IP_DENY, ALICE, "s3:GetObject", B + "/k", keys("aws:SourceIp", "203.0.113.5"), true, EXPLICIT_DENY));
        c.add(bucketCase("IP deny: inside the range, owner", IP_DENY, ALICE, "s3:GetObject", B + "/k", keys("aws:SourceIp", "192.0.2.7"), true, ALLOW));
        c.add(bucketCase("IP deny: inside the range, no grant", IP_DENY, BOB, "s3:GetObject", B + "/k", keys("aws:SourceIp", "192.0.2.7"), false, IMPLICIT_DENY));
        c.add(bucketCase("IP deny: an IPv6 caller is outside", IP_DENY, ALICE, "s3:ListBucket", B, keys("aws:SourceIp", "2001:db8::1"), true, EXPLICIT_DENY));
        c.add(bucketCase("IPv4+IPv6: v4 inside", IP_MIXED, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "192.0.2.1"), false, ALLOW));
        c.add(bucketCase("IPv4+IPv6: v6 inside", IP_MIXED, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "2001:db8:1234:5678::1"), false, ALLOW));
        c.add(bucketCase("IPv4+IPv6: v6 in the excluded /80", IP_MIXED, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "2001:db8:1234:5678:abcd::1"), false, IMPLICIT_DENY));
        c.add(bucketCase("IPv4+IPv6: elsewhere", IP_MIXED, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "10.0.0.1"), false, IMPLICIT_DENY));
        c.add(bucketCase("HTTPS only: plain HTTP denied to the owner", HTTPS_ONLY, ALICE, "s3:PutObject", B + "/k", keys("aws:SecureTransport", "false"), true, EXPLICIT_DENY));
        c.add(bucketCase("HTTPS only: TLS allowed for the owner", HTTPS_ONLY, ALICE, "s3:PutObject", B + "/k", keys("aws:SecureTransport", "true"), true, ALLOW));
        c.add(bucketCase("referer: from the site", REFERER, ANON, "s3:GetObject", B + "/img.png", keys("aws:Referer", "http://www.example.com/page.html"), false, ALLOW));
        c.add(bucketCase("referer: from elsewhere", REFERER, ANON, "s3:GetObject", B + "/img.png", keys("aws:Referer", "http://evil.example.org/"), false, IMPLICIT_DENY));
        c.add(bucketCase("referer: none sent", REFERER, ANON, "s3:GetObject", B + "/img.png", keys(), false, IMPLICIT_DENY));
        c.add(identityCase("home folder: list own folder", HOME_FOLDER, ALICE, "s3:ListBucket", B, keys("s3:prefix", "home/alice/docs/"), ALLOW));
        c.add(identityCase("home folder: list another's folder", HOME_FOLDER, ALICE, "s3:ListBucket", B, keys("s3:prefix", "home/bob/"), IMPLICIT_DENY));
        c.add(identityCase("home folder: list the root with delimiter", HOME_FOLDER, ALICE, "s3:ListBucket", B, keys("s3:prefix", "", "s3:delimiter", "/"), ALLOW));
        c.add(identityCase("home folder: list the root without delimiter", HOME_FOLDER, ALICE, "s3:ListBucket", B, keys("s3:prefix", ""), IMPLICIT_DENY));
        c.add(identityCase("home folder: list without a prefix", HOME_FOLDER, ALICE, "s3:ListBucket", B, keys(), IMPLICIT_DENY));
        c.add(identityCase("home folder: read own object", HOME_FOLDER, ALICE, "s3:GetObject", B + "/home/alice/a.txt", keys(), ALLOW));
        c.add(identityCase("home folder: read another's object", HOME_FOLDER, ALICE, "s3:GetObject", B + "/home/bob/a.txt", keys(), IMPLICIT_DENY));
        c.add(bucketCase("NotPrincipal deny: the named user", ONLY_ALICE, ALICE, "s3:GetObject", B + "/k", keys(), true, ALLOW));
        c.add(bucketCase("NotPrincipal deny: another user", ONLY_ALICE, BOB, "s3:GetObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("NotPrincipal deny: anonymous", ONLY_ALICE, ANON, "s3:GetObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("NotPrincipal deny: even root", ONLY_ALICE, ROOT, "s3:GetObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("grant by ARN: listing", BOB_READS, BOB, "s3:ListBucket", B, keys(), false, ALLOW));
        c.add(bucketCase("grant by ARN: not writing", BOB_READS, BOB, "s3:PutObject", B + "/k", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("grant by ARN: not another user", BOB_READS, ALICE, "s3:GetObject", B + "/k", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("account principal: a user", ACCOUNT_READS, BOB, "s3:GetObject", B + "/k", keys(), false, ALLOW));
        c.add(bucketCase("account principal: not anonymous", ACCOUNT_READS, ANON, "s3:GetObject", B + "/k", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("canonical user principal", CANONICAL_READS, BOB, "s3:GetObject", B + "/k", keys(), false, ALLOW));
        c.add(bucketCase("canonical user principal: another", CANONICAL_READS, ALICE, "s3:GetObject", B + "/k", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("x-amz-acl required: given", OWNER_FULL_CONTROL, BOB, "s3:PutObject", B + "/k", keys("s3:x-amz-acl", "bucket-owner-full-control"), false, ALLOW));
        c.add(bucketCase("x-amz-acl required: missing", OWNER_FULL_CONTROL, BOB, "s3:PutObject", B + "/k", keys(), false, IMPLICIT_DENY));
        c.add(bucketCase("Null: untagged upload denied", TAG_REQUIRED, ALICE, "s3:PutObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("Null: tagged upload allowed", TAG_REQUIRED, ALICE, "s3:PutObject", B + "/k", keys("s3:RequestObjectTag/project", "x"), true, ALLOW));
        c.add(identityCase("existing tag: public object", EXISTING_TAG, BOB, "s3:GetObject", B + "/k", keys("s3:ExistingObjectTag/classification", "public"), ALLOW));
        c.add(identityCase("existing tag: secret object", EXISTING_TAG, BOB, "s3:GetObject", B + "/k", keys("s3:ExistingObjectTag/classification", "secret"), IMPLICIT_DENY));
        c.add(identityCase("ForAllValues: allowed keys only", ALLOWED_TAG_KEYS, BOB, "s3:PutObject", B + "/k", Map.of("s3:RequestObjectTagKeys", List.of("Owner", "CreationDate")), ALLOW));
        c.add(identityCase("ForAllValues: one key not allowed", ALLOWED_TAG_KEYS, BOB, "s3:PutObject", B + "/k", Map.of("s3:RequestObjectTagKeys", List.of("Owner", "Secret")), IMPLICIT_DENY));
        c.add(identityCase("ForAllValues: no tags at all", ALLOWED_TAG_KEYS, BOB, "s3:PutObject", B + "/k", keys(), ALLOW));
        c.add(identityCase("ForAnyValue: key absent", ANY_TAG_KEY, BOB, "s3:PutObject", B + "/k", Map.of("s3:RequestObjectTagKeys", List.of("Owner")), IMPLICIT_DENY));
        c.add(identityCase("ForAnyValue: key among others", ANY_TAG_KEY, BOB, "s3:PutObject", B + "/k", Map.of("s3:RequestObjectTagKeys", List.of("Owner", "Department")), ALLOW));
        c.add(identityCase("time window: inside", TIME_WINDOW, BOB, "s3:GetObject", B + "/k", keys("aws:CurrentTime", "2025-01-01T12:00:00Z"), ALLOW));
        c.add(identityCase("time window: after", TIME_WINDOW, BOB, "s3:GetObject", B + "/k", keys("aws:CurrentTime", "2031-01-01T00:00:00Z"), IMPLICIT_DENY));
        c.add(identityCase("max-keys: small page", MAX_KEYS, BOB, "s3:ListBucket", B, keys("s3:max-keys", "5"), ALLOW));
        c.add(identityCase("max-keys: large page", MAX_KEYS, BOB, "s3:ListBucket", B, keys("s3:max-keys", "100"), IMPLICIT_DENY));
        c.add(identityCase("max-keys: not given", MAX_KEYS, BOB, "s3:ListBucket", B, keys(), IMPLICIT_DENY));
        c.add(identityCase("NotAction: S3 allowed", ALL_BUT_IAM, BOB, "s3:GetObject", B + "/k", keys(), ALLOW));
        c.add(identityCase("NotAction: IAM not", ALL_BUT_IAM, BOB, "iam:CreateUser", "arn:aws:iam::000000000000:user/eve", keys(), IMPLICIT_DENY));
        c.add(identityCase("explicit deny beats allow", NO_DELETES, BOB, "s3:DeleteObject", B + "/k", keys(), EXPLICIT_DENY));
        c.add(identityCase("allow without the deny", NO_DELETES, BOB, "s3:GetObject", B + "/k", keys(), ALLOW));
        c.add(new Case("identity deny beats ownership", NO_DELETES, false, BOB, "s3:DeleteObjectVersion", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(new Case("NotResource: another bucket denied", ONLY_THIS_BUCKET, false, BOB, "s3:GetObject", "arn:aws:s3:::other/k", keys(), true, EXPLICIT_DENY));
        c.add(new Case("NotResource: this bucket not denied", ONLY_THIS_BUCKET, false, BOB, "s3:GetObject", B + "/k", keys(), true, ALLOW));
        c.add(identityCase("action wildcard, any case", ACTION_PATTERNS, BOB, "s3:GetObjectTagging", B + "/k", keys(), ALLOW));
        c.add(identityCase("action ?-wildcard", ACTION_PATTERNS, BOB, "s3:ListBucket", B, keys(), ALLOW));
        c.add(identityCase("action not matched", ACTION_PATTERNS, BOB, "s3:PutObject", B + "/k", keys(), IMPLICIT_DENY));
        c.add(bucketCase("StringNotEquals: absent key holds, deny", SSE_REQUIRED, ALICE, "s3:PutObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("StringNotEquals: right value, no deny", SSE_REQUIRED, ALICE, "s3:PutObject", B + "/k", keys("s3:x-amz-server-side-encryption", "AES256"), true, ALLOW));
        c.add(bucketCase("IfExists: an absent key holds, so the deny applies", SSE_IF_GIVEN, ALICE, "s3:PutObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("IfExists: the right value, no deny", SSE_IF_GIVEN, ALICE, "s3:PutObject", B + "/k", keys("s3:x-amz-server-side-encryption", "AES256"), true, ALLOW));
        c.add(identityCase("IfExists allow: no storage class given", STANDARD_IF_GIVEN, BOB, "s3:PutObject", B + "/k", keys(), ALLOW));
        c.add(identityCase("IfExists allow: the allowed class", STANDARD_IF_GIVEN, BOB, "s3:PutObject", B + "/k", keys("s3:x-amz-storage-class", "STANDARD"), ALLOW));
        c.add(identityCase("IfExists allow: another class", STANDARD_IF_GIVEN, BOB, "s3:PutObject", B + "/k", keys("s3:x-amz-storage-class", "GLACIER"), IMPLICIT_DENY));
        c.add(bucketCase("IfExists: wrong value, deny", SSE_IF_GIVEN, ALICE, "s3:PutObject", B + "/k", keys("s3:x-amz-server-side-encryption", "aws:kms"), true, EXPLICIT_DENY));
        c.add(identityCase("2008-10-17: no variables", OLD_VERSION, ALICE, "s3:GetObject", B + "/alice/k", keys(), IMPLICIT_DENY));
        c.add(bucketCase("variable default for anonymous", VARIABLE_DEFAULT, ANON, "s3:GetObject", B + "/shared/k", keys(), false, ALLOW));
        c.add(bucketCase("variable of a user", VARIABLE_DEFAULT, BOB, "s3:GetObject", B + "/bob/k", keys(), false, ALLOW));
        c.add(bucketCase("deny all applies to root", DENY_ALL, ROOT, "s3:GetObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("two operators: both hold", SECURE_FROM_OFFICE, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "10.1.2.3", "aws:SecureTransport", "true"), false, ALLOW));
        c.add(bucketCase("two operators: one fails", SECURE_FROM_OFFICE, ANON, "s3:GetObject", B + "/k", keys("aws:SourceIp", "10.1.2.3", "aws:SecureTransport", "false"), false, IMPLICIT_DENY));
        c.add(bucketCase("user agent deny", USER_AGENT, ALICE, "s3:GetObject", B + "/k", keys("aws:UserAgent", "curl/7.88.1"), true, EXPLICIT_DENY));
        c.add(bucketCase("user agent allowed", USER_AGENT, ALICE, "s3:GetObject", B + "/k", keys("aws:UserAgent", "aws-cli/1.45"), true, ALLOW));
        c.add(identityCase("values are ORed: second value", PREFIX_ONE_OF, BOB, "s3:ListBucket", B, keys("s3:prefix", "projects/b/"), ALLOW));
        c.add(identityCase("values are ORed: none", PREFIX_ONE_OF, BOB, "s3:ListBucket", B, keys("s3:prefix", "projects/c/"), IMPLICIT_DENY));
        c.add(bucketCase("principal type: anonymous denied", PRINCIPAL_TYPE, ANON, "s3:GetObject", B + "/k", keys(), true, EXPLICIT_DENY));
        c.add(bucketCase("principal type: users not", PRINCIPAL_TYPE, BOB, "s3:GetObject", B + "/k", keys(), true, ALLOW));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        PolicyDocument doc = c.bucketPolicy() ? PolicyParser.bucketPolicy(c.policy(), "examplebucket")
                : PolicyParser.identityPolicy(c.policy());
        RequestContext ctx = new RequestContext(c.who(), c.action(), c.resource(), c.keys());
        Decision d = c.bucketPolicy() ? PolicyEvaluator.decide(ctx, List.of(), doc, c.granted())
                : PolicyEvaluator.decide(ctx, List.of(doc), null, c.granted());
        assertEquals(c.expected(), d);
    }

    private static Case bucketCase(String name, String policy, Principal who, String action, String resource,
                                   Map<String, List<String>> keys, boolean granted, Decision expected) {
        return new Case(name, policy, true, who, action, resource, keys, granted, expected);
    }

    private static Case identityCase(String name, String policy, Principal who, String action, String resource,
                                     Map<String, List<String>> keys, Decision expected) {
        return new Case(name, policy, false, who, action, resource, keys, false, expected);
    }

    private static Map<String, List<String>> keys(String... pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], List.of(pairs[i + 1]));
        }
        return out;
    }

    private static String bucket(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }

    private static String identity(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }
}
