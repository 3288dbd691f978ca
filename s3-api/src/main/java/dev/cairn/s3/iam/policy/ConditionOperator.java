package dev.cairn.s3.iam.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The condition operators of the IAM policy language, each a test of one policy value against
 * one request value. Negated operators ({@code StringNotEquals}...) are the positive test
 * inverted over all values: the condition holds when no value matches (and when the key is
 * absent). {@code Null} is handled by the evaluator: it tests whether the key is present.
 */
public enum ConditionOperator {
    STRING_EQUALS("StringEquals", Kind.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, true),
    STRING_LIKE("StringLike", Kind.STRING_LIKE, false),
    STRING_NOT_LIKE("StringNotLike", Kind.STRING_LIKE, true),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC_EQ, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMERIC_EQ, true),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC_LT, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC_LE, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC_GT, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC_GE, false),
    DATE_EQUALS("DateEquals", Kind.DATE_EQ, false),
    DATE_NOT_EQUALS("DateNotEquals", Kind.DATE_EQ, true),
    DATE_LESS_THAN("DateLessThan", Kind.DATE_LT, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE_LE, false),
    DATE_GREATER_THAN("DateGreaterThan", Kind.DATE_GT, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE_GE, false),
    BOOL("Bool", Kind.BOOL, false),
    BINARY_EQUALS("BinaryEquals", Kind.STRING, false),
    IP_ADDRESS("IpAddress", Kind.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
    ARN_EQUALS("ArnEquals", Kind.ARN, false),
    ARN_LIKE("ArnLike", Kind.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Kind.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Kind.ARN, true),
    NULL("Null", Kind.NULL, false);

    private enum Kind {
        STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC_EQ, NUMERIC_LT, NUMERIC_LE, NUMERIC_GT, NUMERIC_GE,
        DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE, BOOL, IP, ARN, NULL
    }

    private final String policyName;
    private final Kind kind;
    private final boolean negated;

    ConditionOperator(String policyName, Kind kind, boolean negated) {
        this.policyName = policyName;
        this.kind = kind;
        this.negated = negated;
    }

    public String policyName() {
        return policyName;
    }

    public boolean negated() {
        return negated;
    }

    /** Whether policy variables are substituted in this operator's values (strings and ARNs). */
    public boolean takesVariables() {
        return kind == Kind.STRING || kind == Kind.STRING_IGNORE_CASE || kind == Kind.STRING_LIKE || kind == Kind.ARN;
    }

    /** The operator named {@code name} in a policy (without ForAnyValue:/ForAllValues: or IfExists), or null. */
    public static ConditionOperator named(String name) {
        for (ConditionOperator op : values()) {
            if (op.policyName.equals(name)) {
                return op;
            }
        }
        return null;
    }

    /** Throws when {@code value} cannot be a value of this operator (checked when a policy is stored). */
    void checkPolicyValue(String value) {
        switch (kind) {
            case NUMERIC_EQ, NUMERIC_LT, NUMERIC_LE, NUMERIC_GT, NUMERIC_GE -> {
                if (number(value) == null) {
                    throw new MalformedPolicyException("Invalid numeric value " + value + " for " + policyName);
                }
            }
            case DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE -> {
                if (date(value) == null) {
                    throw new MalformedPolicyException("Invalid date value " + value + " for " + policyName);
                }
            }
            case BOOL, NULL -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new MalformedPolicyException("Invalid boolean value " + value + " for " + policyName);
                }
            }
            case IP -> {
                if (Cidr.parse(value) == null) {
                    throw new MalformedPolicyException("Invalid IP address or CIDR block " + value + " for "
                            + policyName);
                }
            }
            default -> {
                // any string
            }
        }
    }

    /** The positive test (before negation) of one policy value against one request value. */
    boolean test(String policyValue, String requestValue) {
        return switch (kind) {
            case STRING -> policyValue.equals(requestValue);
            case STRING_IGNORE_CASE -> policyValue.equalsIgnoreCase(requestValue);
            case STRING_LIKE, ARN -> Wildcard.matches(policyValue, requestValue, false);
            case NUMERIC_EQ, NUMERIC_LT, NUMERIC_LE, NUMERIC_GT, NUMERIC_GE -> compare(number(requestValue),
                    number(policyValue));
            case DATE_EQ, DATE_LT, DATE_LE, DATE_GT, DATE_GE -> compare(date(requestValue), date(policyValue));
            case BOOL -> policyValue.equalsIgnoreCase(requestValue);
            case IP -> {
                Cidr range = Cidr.parse(policyValue);
                yield range != null && range.contains(requestValue);
            }
            case NULL -> throw new IllegalStateException("Null is evaluated on presence");
        };
    }

    private <T extends Comparable<T>> boolean compare(T request, T policy) {
        if (request == null || policy == null) {
            return false;
        }
        int c = request.compareTo(policy);
        return switch (kind) {
            case NUMERIC_EQ, DATE_EQ -> c == 0;
            case NUMERIC_LT, DATE_LT -> c < 0;
            case NUMERIC_LE, DATE_LE -> c <= 0;
            case NUMERIC_GT, DATE_GT -> c > 0;
            case NUMERIC_GE, DATE_GE -> c >= 0;
            default -> false;
        };
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 (with or without offset, date only allowed) or epoch seconds. */
    static Instant date(String s) {
        String v = s.trim();
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            if (v.length() == 10) {
                return Instant.parse(v + "T00:00:00Z");
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase(Locale.ROOT));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }
}
