package dev.cairn.s3.iam.policy;

import java.util.List;

/**
 * Policy variables of documents of version 2012-10-17: {@code ${aws:username}} and any other
 * single-valued key of the request, with an optional default ({@code ${s3:prefix, 'home/'}}),
 * and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}}. A variable whose key the request does
 * not have (and that gives no default) makes the value match nothing.
 */
final class PolicyVariables {
    private PolicyVariables() {
    }

    /** The value with variables replaced, or null when a variable cannot be resolved. */
    static String substitute(String value, PolicyDocument policy, RequestContext ctx) {
        if (!policy.substitutesVariables() || !value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            String resolved = resolve(value.substring(start + 2, end).trim(), ctx);
            if (resolved == null) {
                return null;
            }
            out.append(resolved);
            i = end + 1;
        }
        return out.toString();
    }

    private static String resolve(String variable, RequestContext ctx) {
        switch (variable) {
            case "*":
                return "*";
            case "?":
                return "?";
            case "$":
                return "$";
            default:
                break;
        }
        String name = variable;
        String dflt = null;
        int comma = variable.indexOf(',');
        if (comma >= 0) {
            name = variable.substring(0, comma).trim();
            String d = variable.substring(comma + 1).trim();
            if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
                dflt = d.substring(1, d.length() - 1);
            }
        }
        List<String> values = ctx.values(name);
        if (values == null || values.size() != 1) {
            return dflt;
        }
        return values.get(0);
    }
}
