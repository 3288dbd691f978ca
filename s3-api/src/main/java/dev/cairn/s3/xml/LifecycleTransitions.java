package dev.cairn.s3.xml;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.lifecycle.LifecycleTransition;

/**
 * The Transition and NoncurrentVersionTransition elements of a lifecycle rule, validated as AWS
 * validates them: Days (0 or more) or a Date at midnight UTC, a StorageClass of AWS's transition
 * classes, at least 30 days for STANDARD_IA and ONEZONE_IA, one action per class in a rule, Days
 * and Dates not mixed, each later transition further down the waterfall (30 days after an
 * STANDARD_IA/ONEZONE_IA one), and an Expiration in the same rule later than every transition.
 * On top of that, what Cairn can carry out: GLACIER and DEEP_ARCHIVE answer 501 NotImplemented
 * (AWS serves them only after a RestoreObject, which Cairn does not implement), and a class this
 * server does not map onto a protection ({@code --storage-classes}) answers 400
 * InvalidStorageClass: a transition to it would move nothing.
 */
final class LifecycleTransitions {
    private static final Set<String> TRANSITION_ELEMENTS = Set.of("Days", "Date", "StorageClass");
    private static final Set<String> NONCURRENT_ELEMENTS = Set.of("NoncurrentDays", "NewerNoncurrentVersions",
            "StorageClass");
    private static final int MAX_NEWER_NONCURRENT = 100;
    private static final int THIRTY = 30;

    private LifecycleTransitions() {
    }

    /**
     * The rule's Transition actions.
     *
     * @param served the storage classes this server maps onto a protection; null when the
     *               document was validated before (a stored configuration)
     */
    static List<LifecycleTransition> current(Element rule, Predicate<String> served) {
        List<LifecycleTransition> out = new ArrayList<>();
        for (Element t : XmlReader.children(rule, "Transition")) {
            onlyElements(t, TRANSITION_ELEMENTS);
            String d = XmlReader.childText(t, "Days");
            String dt = XmlReader.childText(t, "Date");
            if ((d == null) == (dt == null)) {
                throw XmlReader.malformed();
            }
            String sc = storageClass(t, served);
            Integer days = null;
            if (d != null) {
                days = nonNegative(d, "'Days' in Transition action must be nonnegative", "Days");
                if (LifecycleTransition.THIRTY_DAY_MINIMUM.contains(sc) && days < THIRTY) {
                    throw invalid("'Days' in Transition action must be greater than or equal to 30 for storageClass '"
                            + sc + "'", "Days", d);
                }
            }
            out.add(LifecycleTransition.current(days, dt == null ? null : LifecycleDocuments.midnight(dt), sc));
        }
        distinctClasses(out, "Transition");
        if (out.stream().anyMatch(t -> t.days() != null) && out.stream().anyMatch(t -> t.days() == null)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule");
        }
        waterfall(out, "Days", "Transition");
        return out;
    }

    /** The rule's NoncurrentVersionTransition actions (see {@link #current} for {@code served}). */
    static List<LifecycleTransition> noncurrent(Element rule, Predicate<String> served) {
        List<LifecycleTransition> out = new ArrayList<>();
        for (Element t : XmlReader.children(rule, "NoncurrentVersionTransition")) {
            onlyElements(t, NONCURRENT_ELEMENTS);
            String nd = XmlReader.childText(t, "NoncurrentDays");
            if (nd == null) {
                throw XmlReader.malformed();
            }
            String sc = storageClass(t, served);
            int days = nonNegative(nd, "'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative",
                    "NoncurrentDays");
            if (LifecycleTransition.THIRTY_DAY_MINIMUM.contains(sc) && days < THIRTY) {
                throw invalid("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal "
                        + "to 30 for storageClass '" + sc + "'", "NoncurrentDays", nd);
            }
            Integer newer = null;
            String nn = XmlReader.childText(t, "NewerNoncurrentVersions");
            if (nn != null) {
                newer = nonNegative(nn, "'NewerNoncurrentVersions' for NoncurrentVersionTransition action must be a "
                        + "positive integer", "NewerNoncurrentVersions");
                if (newer < 1 || newer > MAX_NEWER_NONCURRENT) {
                    throw invalid("'NewerNoncurrentVersions' for NoncurrentVersionTransition action must be between 1 "
                            + "and " + MAX_NEWER_NONCURRENT, "NewerNoncurrentVersions", nn);
                }
            }
            out.add(LifecycleTransition.noncurrent(days, newer, sc));
        }
        distinctClasses(out, "NoncurrentVersionTransition");
        waterfall(out, "NoncurrentDays", "NoncurrentVersionTransition");
        return out;
    }

    /**
     * An Expiration (Days or Date) and a NoncurrentVersionExpiration must come after every
     * transition of their kind in the same rule.
     */
    static void expirationsLater(Integer expirationDays, Long expirationDate, Integer noncurrentDays,
                                 List<LifecycleTransition> current, List<LifecycleTransition> noncurrent) {
        for (LifecycleTransition t : current) {
            if (expirationDays != null && t.days() == null || expirationDate != null && t.dateMillis() == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule");
            }
            if (expirationDays != null && expirationDays <= t.days()) {
                throw invalid("'Days' in the Expiration action must be greater than 'Days' in the Transition action "
                        + "for StorageClass '" + t.storageClass() + "'", "Days", expirationDays.toString());
            }
            if (expirationDate != null && expirationDate <= t.dateMillis()) {
                throw invalid("'Date' in the Expiration action must be later than 'Date' in the Transition action "
                        + "for StorageClass '" + t.storageClass() + "'", "Date",
                        Instant.ofEpochMilli(expirationDate).toString());
            }
        }
        for (LifecycleTransition t : noncurrent) {
            if (noncurrentDays != null && noncurrentDays <= t.days()) {
                throw invalid("'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than "
                        + "'NoncurrentDays' in the NoncurrentVersionTransition action for StorageClass '"
                        + t.storageClass() + "'", "NoncurrentDays", noncurrentDays.toString());
            }
        }
    }

    private static String storageClass(Element t, Predicate<String> served) {
        String sc = XmlReader.childText(t, "StorageClass");
        if (sc == null || !LifecycleTransition.TARGETS.contains(sc.trim())) {
            throw XmlReader.malformed(); // not one of AWS's transition classes (STANDARD is where objects start)
        }
        sc = sc.trim();
        if (LifecycleTransition.NEED_RESTORE.contains(sc)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Lifecycle transitions to " + sc + " are not "
                    + "implemented by Cairn: AWS serves " + sc + " objects only after a RestoreObject, and Cairn does "
                    + "not implement RestoreObject or the InvalidObjectState answers of archived objects");
        }
        if (served != null && !served.test(sc)) {
            throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS, "Storage class " + sc + " has no protection of "
                    + "its own on this server (cairn server --storage-classes " + sc + "=PROTECTION maps it), so a "
                    + "transition to it would move nothing").with("StorageClassRequested", sc);
        }
        return sc;
    }

    private static void distinctClasses(List<LifecycleTransition> ts, String action) {
        Set<String> seen = new HashSet<>();
        for (LifecycleTransition t : ts) {
            if (!seen.add(t.storageClass())) {
                throw invalid("'StorageClass' must be different for '" + action + "' actions in same 'Rule'",
                        "StorageClass", t.storageClass());
            }
        }
    }

    /**
     * In time order, each transition must go further down the waterfall than the one before, and
     * at least 30 days after a STANDARD_IA or ONEZONE_IA one (Days only: Dates are the operator's).
     */
    private static void waterfall(List<LifecycleTransition> ts, String daysName, String action) {
        List<LifecycleTransition> byTime = new ArrayList<>(ts);
        byTime.sort(Comparator.comparingLong(t -> t.days() != null ? t.days() : t.dateMillis()));
        for (int i = 1; i < byTime.size(); i++) {
            LifecycleTransition before = byTime.get(i - 1);
            LifecycleTransition after = byTime.get(i);
            if (!LifecycleTransition.movesDown(before.storageClass(), after.storageClass())) {
                throw invalid("'" + action + "' to StorageClass '" + after.storageClass() + "' must come before the one "
                        + "to '" + before.storageClass() + "'", "StorageClass", after.storageClass());
            }
            if (before.days() != null && LifecycleTransition.THIRTY_DAY_MINIMUM.contains(before.storageClass())
                    && after.days() - before.days() < THIRTY) {
                throw invalid("'" + daysName + "' in the " + action + " action for StorageClass '"
                        + after.storageClass() + "' must be 30 days more than in the " + action + " action for "
                        + "StorageClass '" + before.storageClass() + "'", daysName, after.days().toString());
            }
        }
    }

    private static int nonNegative(String text, String message, String name) {
        return LifecycleDocuments.atLeast(text, 0, message, name);
    }

    private static void onlyElements(Element e, Set<String> allowed) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && !allowed.contains(c.getLocalName() != null ? c.getLocalName()
                    : c.getTagName())) {
                throw XmlReader.malformed();
            }
        }
    }

    private static S3Exception invalid(String message, String name, String value) {
        return LifecycleDocuments.invalid(message, name, value);
    }

    /** Writes the rule's transitions as {@link #current} and {@link #noncurrent} read them. */
    static void write(XmlWriter w, List<LifecycleTransition> current, List<LifecycleTransition> noncurrent,
                      java.util.function.LongFunction<String> date) {
        for (LifecycleTransition t : current) {
            w.start("Transition").element("Days", t.days())
                    .element("Date", t.dateMillis() == null ? null : date.apply(t.dateMillis()))
                    .element("StorageClass", t.storageClass()).end();
        }
        for (LifecycleTransition t : noncurrent) {
            w.start("NoncurrentVersionTransition").element("NoncurrentDays", t.days())
                    .element("NewerNoncurrentVersions", t.newerNoncurrentVersions())
                    .element("StorageClass", t.storageClass()).end();
        }
    }
}
