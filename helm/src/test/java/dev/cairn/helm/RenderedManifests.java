package dev.cairn.helm;

import io.kubernetes.client.util.Yaml;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Manifests rendered by {@code helm template}, loaded as typed Kubernetes objects with
 * client-java's {@link Yaml#loadAll}. That load is strict: a field the Kubernetes model of the
 * kind does not have throws ("Unable to find property ..."), so constructing this proves that
 * every rendered field is known. Custom resources client-java has no model for are kept apart as
 * plain maps for the tests to check.
 */
final class RenderedManifests {
    static final List<String> CUSTOM_KINDS = List.of("ServiceMonitor");

    final List<Object> typed;
    final List<Map<String, Object>> custom = new ArrayList<>();

    @SuppressWarnings("unchecked")
    RenderedManifests(String rendered) {
        org.yaml.snakeyaml.Yaml raw = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
        StringBuilder builtIn = new StringBuilder();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            Object parsed = raw.load(doc);
            if (parsed == null) {
                continue;
            }
            Map<String, Object> map = (Map<String, Object>) parsed;
            if (CUSTOM_KINDS.contains(String.valueOf(map.get("kind")))) {
                custom.add(map);
            } else {
                builtIn.append("---\n").append(doc.strip()).append('\n');
            }
        }
        try {
            typed = Yaml.loadAll(builtIn.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> List<T> ofType(Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
