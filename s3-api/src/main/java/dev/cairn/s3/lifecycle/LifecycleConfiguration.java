package dev.cairn.s3.lifecycle;

import java.util.List;

/** A bucket's lifecycle configuration: its rules in the order they were given. */
public record LifecycleConfiguration(List<LifecycleRule> rules) {
    /** The bucket config kind the document is stored under. */
    public static final String CONFIG_KIND = "lifecycle";
    /** AWS's limit on rules per configuration. */
    public static final int MAX_RULES = 1000;

    public LifecycleConfiguration {
        rules = List.copyOf(rules);
    }

    /** The rules that run (Status Enabled). */
    public List<LifecycleRule> enabled() {
        return rules.stream().filter(LifecycleRule::enabled).toList();
    }
}
