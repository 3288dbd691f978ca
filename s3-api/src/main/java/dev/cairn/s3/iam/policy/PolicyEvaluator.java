package dev.cairn.s3.iam.policy;

import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.policy.PolicyDocument.Condition;
import dev.cairn.s3.iam.policy.PolicyDocument.Effect;
import dev.cairn.s3.iam.policy.PolicyDocument.Principals;
import dev.cairn.s3.iam.policy.PolicyDocument.SetQualifier;
import dev.cairn.s3.iam.policy.PolicyDocument.Statement;

import java.util.List;

/**
 * AWS's policy evaluation for one account, as a pure function. A statement applies when its
 * principal (bucket policies), action, resource and every condition match the request. Then:
 * an explicit Deny in any applicable policy wins; otherwise an Allow from any of them (identity
 * policies, the bucket policy, or a grant the caller passes in: ownership or an ACL) allows;
 * otherwise the request is implicitly denied.
 */
public final class PolicyEvaluator {

    /** What one policy says about a request. */
    public enum Match { NONE, ALLOW, DENY }

    /** The final answer. */
    public enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    private PolicyEvaluator() {
    }

    /**
     * @param identityPolicies the caller's identity policies (inline and attached)
     * @param bucketPolicy     the bucket's policy, or null
     * @param granted          whether something outside policies allows it (ownership, an ACL grant)
     */
    public static Decision decide(RequestContext ctx, List<PolicyDocument> identityPolicies,
                                  PolicyDocument bucketPolicy, boolean granted) {
        boolean allowed = granted;
        for (PolicyDocument p : identityPolicies) {
            Match m = evaluate(p, ctx, false);
            if (m == Match.DENY) {
                return Decision.EXPLICIT_DENY;
            }
            allowed |= m == Match.ALLOW;
        }
        if (bucketPolicy != null) {
            Match m = evaluate(bucketPolicy, ctx, true);
            if (m == Match.DENY) {
                return Decision.EXPLICIT_DENY;
            }
            allowed |= m == Match.ALLOW;
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** DENY when a Deny statement applies, else ALLOW when an Allow statement applies, else NONE. */
    public static Match evaluate(PolicyDocument policy, RequestContext ctx, boolean checkPrincipal) {
        Match result = Match.NONE;
        for (Statement s : policy.statements()) {
            if (applies(policy, s, ctx, checkPrincipal)) {
                if (s.effect() == Effect.DENY) {
                    return Match.DENY;
                }
                result = Match.ALLOW;
            }
        }
        return result;
    }

    /** Whether statement {@code s} of {@code policy} applies to the request (its effect aside). */
    static boolean applies(PolicyDocument policy, Statement s, RequestContext ctx, boolean checkPrincipal) {
        if (checkPrincipal && s.principal() != null && matchesPrincipal(s.principal(), ctx.principal()) == s.notPrincipal()) {
            return false;
        }
        if (anyMatches(s.actions(), ctx.action(), true, null, ctx) == s.notAction()) {
            return false;
        }
        if (anyMatches(s.resources(), ctx.resource(), false, policy, ctx) == s.notResource()) {
            return false;
        }
        for (Condition c : s.conditions()) {
            if (!holds(policy, c, ctx)) {
                return false;
            }
        }
        return true;
    }

    static boolean matchesPrincipal(Principals p, Principal caller) {
        if (p.anyone()) {
            return true;
        }
        if (caller.isAnonymous()) {
            return false;
        }
        for (String id : p.aws()) {
            if (id.equals(Principal.ACCOUNT_ID) || id.equals("arn:aws:iam::" + Principal.ACCOUNT_ID + ":root")
                    || id.equals(caller.arn())) {
                return true;
            }
        }
        return p.canonicalUsers().contains(caller.canonicalId());
    }

    private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase, PolicyDocument policy,
                                      RequestContext ctx) {
        for (String pattern : patterns) {
            String p = policy == null ? pattern : PolicyVariables.substitute(pattern, policy, ctx);
            if (p != null && Wildcard.matches(p, value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** One key test of a Condition block, with AWS's rules for absent keys, IfExists and set qualifiers. */
    static boolean holds(PolicyDocument policy, Condition c, RequestContext ctx) {
        List<String> present = ctx.values(c.key());
        boolean absent = present == null || present.isEmpty();
        if (c.operator() == ConditionOperator.NULL) {
            for (String v : c.values()) {
                if (Boolean.parseBoolean(v) == absent) {
                    return true;
                }
            }
            return false;
        }
        if (absent) {
            if (c.ifExists() || c.qualifier() == SetQualifier.FOR_ALL_VALUES) {
                return true;
            }
            return c.qualifier() == SetQualifier.NONE && c.operator().negated();
        }
        ConditionOperator op = c.operator();
        if (c.qualifier() == SetQualifier.FOR_ALL_VALUES) {
            for (String requestValue : present) {
                if (matchesAny(policy, c, requestValue, ctx) == op.negated()) {
                    return false;
                }
            }
            return true;
        }
        if (c.qualifier() == SetQualifier.FOR_ANY_VALUE) {
            for (String requestValue : present) {
                if (matchesAny(policy, c, requestValue, ctx) != op.negated()) {
                    return true;
                }
            }
            return false;
        }
        boolean any = false;
        for (String requestValue : present) {
            any |= matchesAny(policy, c, requestValue, ctx);
        }
        return any != op.negated();
    }

    private static boolean matchesAny(PolicyDocument policy, Condition c, String requestValue, RequestContext ctx) {
        for (String v : c.values()) {
            String policyValue = c.operator().takesVariables() ? PolicyVariables.substitute(v, policy, ctx) : v;
            if (policyValue != null && c.operator().test(policyValue, requestValue)) {
                return true;
            }
        }
        return false;
    }
}
