package dev.cairn.s3.admin;

import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.access.BucketAccessStore;
import dev.cairn.s3.handler.Quotas;
import dev.cairn.s3.iam.IamUser;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.iam.IdentitySnapshot;
import dev.cairn.s3.iam.Quota;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gauges of users and quotas: what each user stores over all its buckets
 * ({@code cairn_user_bytes{user}}, {@code cairn_user_objects{user}}; at most {@code maxUsers}
 * users, the largest) and every quota in force with what it allows
 * ({@code cairn_quota_limit_bytes|objects{scope="bucket"|"user",name}}) and holds
 * ({@code cairn_quota_used_bytes|objects{scope,name}}). Refreshed on a worker thread (blocking
 * reads); a scrape reads the last refresh.
 */
public final class QuotaMetrics {
    private final MetadataStore metadata;
    private final Identities identities;
    private final BucketAccessStore buckets;
    private final Quotas quotas;
    private final int maxUsers;
    private final MultiGauge userBytes;
    private final MultiGauge userObjects;
    private final MultiGauge limitBytes;
    private final MultiGauge limitObjects;
    private final MultiGauge usedBytes;
    private final MultiGauge usedObjects;

    public QuotaMetrics(MeterRegistry registry, MetadataStore metadata, Identities identities,
                        BucketAccessStore buckets, Quotas quotas, int maxUsers) {
        this.metadata = metadata;
        this.identities = identities;
        this.buckets = buckets;
        this.quotas = quotas;
        this.maxUsers = maxUsers;
        this.userBytes = gauge(registry, "cairn.user.bytes", "bytes", "Bytes stored in the buckets a user owns");
        this.userObjects = gauge(registry, "cairn.user.objects", "objects", "Objects in the buckets a user owns");
        this.limitBytes = gauge(registry, "cairn.quota.limit.bytes", "bytes",
                "The bytes a quota allows, by scope (bucket or user) and name");
        this.limitObjects = gauge(registry, "cairn.quota.limit.objects", "objects",
                "The objects a quota allows, by scope (bucket or user) and name");
        this.usedBytes = gauge(registry, "cairn.quota.used.bytes", "bytes",
                "The bytes held against a quota, by scope (bucket or user) and name");
        this.usedObjects = gauge(registry, "cairn.quota.used.objects", "objects",
                "The objects held against a quota, by scope (bucket or user) and name");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String unit, String description) {
        return MultiGauge.builder(name).description(description).baseUnit(unit).register(registry);
    }

    /** Reads usage and quotas (blocking: call on a worker thread). */
    public void refresh() {
        IdentitySnapshot s = identities.snapshot();
        List<MultiGauge.Row<?>> uBytes = new ArrayList<>();
        List<MultiGauge.Row<?>> uObjects = new ArrayList<>();
        List<MultiGauge.Row<?>> lBytes = new ArrayList<>();
        List<MultiGauge.Row<?>> lObjects = new ArrayList<>();
        List<MultiGauge.Row<?>> qBytes = new ArrayList<>();
        List<MultiGauge.Row<?>> qObjects = new ArrayList<>();
        List<IamUser> users = s.users();
        List<long[]> usage = new ArrayList<>();
        for (IamUser u : users) {
            usage.add(quotas.ownerUsage(u.canonicalId()));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(usage.get(b)[0], usage.get(a)[0]));
        for (int n = 0; n < order.size() && n < maxUsers; n++) {
            int i = order.get(n);
            Tags tags = Tags.of("user", users.get(i).name());
            uBytes.add(MultiGauge.Row.of(tags, usage.get(i)[0]));
            uObjects.add(MultiGauge.Row.of(tags, usage.get(i)[1]));
        }
        for (int i = 0; i < users.size(); i++) {
            Quota q = s.userQuota(users.get(i).name());
            rows(q, Tags.of("scope", "user", "name", users.get(i).name()), usage.get(i), lBytes, lObjects, qBytes,
                    qObjects);
        }
        for (Map.Entry<String, Quota> e : buckets.quotas().entrySet()) {
            if (metadata.getBucket(e.getKey()).isEmpty()) {
                buckets.forgetQuota(e.getKey());
                continue;
            }
            BucketUsage u = metadata.bucketUsage(e.getKey());
            rows(e.getValue(), Tags.of("scope", "bucket", "name", e.getKey()), new long[]{u.bytes(), u.objects()},
                    lBytes, lObjects, qBytes, qObjects);
        }
        userBytes.register(uBytes, true);
        userObjects.register(uObjects, true);
        limitBytes.register(lBytes, true);
        limitObjects.register(lObjects, true);
        usedBytes.register(qBytes, true);
        usedObjects.register(qObjects, true);
    }

    private static void rows(Quota q, Tags tags, long[] used, List<MultiGauge.Row<?>> lBytes,
                             List<MultiGauge.Row<?>> lObjects, List<MultiGauge.Row<?>> qBytes,
                             List<MultiGauge.Row<?>> qObjects) {
        if (q.limitsBytes()) {
            lBytes.add(MultiGauge.Row.of(tags, q.maxBytes()));
            qBytes.add(MultiGauge.Row.of(tags, used[0]));
        }
        if (q.limitsObjects()) {
            lObjects.add(MultiGauge.Row.of(tags, q.maxObjects()));
            qObjects.add(MultiGauge.Row.of(tags, used[1]));
        }
    }
}
