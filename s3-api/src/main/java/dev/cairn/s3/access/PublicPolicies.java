package dev.cairn.s3.access;

import dev.cairn.s3.iam.policy.ConditionOperator;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.iam.policy.PolicyDocument.Condition;
import dev.cairn.s3.iam.policy.PolicyDocument.Effect;
import dev.cairn.s3.iam.policy.PolicyDocument.Statement;

import java.util.Set;

/**
 * S3's "the meaning of public" for bucket policies: a policy is public when an Allow statement
 * grants to everyone (Principal "*" or a NotPrincipal) without a condition that pins one of the
 * keys S3 accepts as restricting (source address, source or principal account and ARN, user id)
 * to fixed, wildcard-free values. GetBucketPolicyStatus answers it; Block Public Access acts on it.
 */
public final class PublicPolicies {
    private static final Set<String> FIXING_KEYS = Set.of("aws:sourceip", "aws:sourcearn", "aws:sourcevpc",
            "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "aws:userid", "aws:principalarn",
            "aws:principalaccount", "aws:principalorgid", "s3:dataaccesspointarn", "s3:dataaccesspointaccount");
    private static final Set<ConditionOperator> FIXING_OPERATORS = Set.of(ConditionOperator.STRING_EQUALS,
            ConditionOperator.STRING_EQUALS_IGNORE_CASE, ConditionOperator.STRING_LIKE, ConditionOperator.ARN_EQUALS,
            ConditionOperator.ARN_LIKE, ConditionOperator.IP_ADDRESS);

    private PublicPolicies() {
    }

    public static boolean isPublic(PolicyDocument policy) {
        for (Statement s : policy.statements()) {
            if (s.effect() == Effect.ALLOW && (s.notPrincipal() || s.principal() != null && s.principal().anyone())
                    && !fixed(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fixed(Statement s) {
        for (Condition c : s.conditions()) {
            if (FIXING_KEYS.contains(c.key()) && FIXING_OPERATORS.contains(c.operator()) && !c.ifExists()
                    && c.values().stream().noneMatch(PublicPolicies::open)) {
                return true;
            }
        }
        return false;
    }

    /** A value that pins nothing: a wildcard, or an address range of the whole Internet. */
    private static boolean open(String v) {
        return v.contains("*") || v.contains("?") || v.endsWith("/0");
    }
}
