package dev.cairn.chunkstore.node;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Meter filters that keep a Prometheus exposition clean under {@code promtool check metrics},
 * shared by the server and the chunkstore: drops {@code process.cpu.time} (its unit is
 * nanoseconds, which Prometheus lints as an abbreviated unit; {@code process.cpu.usage} stays) and
 * renames {@code system.cpu.count} (a gauge must not end in "_count") to
 * {@code system.cpu.processors}.
 */
public final class PromtoolClean {
    private PromtoolClean() {
    }

    /** Installs the filters; call before any binder registers meters. */
    public static void apply(MeterRegistry registry) {
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
                    }
                });
    }
}
