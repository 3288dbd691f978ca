package dev.cairn.s3.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's sources as shipped in the jar: no way for text to become markup (no HTML sinks,
 * no eval), no inline script or style for the Content-Security-Policy to refuse, and every module
 * a script imports is there.
 */
class ConsoleSourcesTest {
    /** Where a string would be parsed as HTML or code, or a style attribute written. */
    private static final List<String> SINKS = List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
            "eval(", "new Function", "setAttribute('style'", "cssText", "javascript:", "srcdoc");
    private static final Pattern IMPORT = Pattern.compile("(?:from|import\\()\\s*'(\\./[^']+)'");

    private static Path root() throws URISyntaxException {
        return Path.of(ConsoleSourcesTest.class.getResource("/console/index.html").toURI()).getParent();
    }

    private static List<Path> files(String extension) throws Exception {
        try (Stream<Path> all = Files.walk(root())) {
            return all.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
    }

    @Test
    void scriptsWriteNoMarkupAndEvaluateNoStrings() throws Exception {
        List<Path> scripts = files(".js");
        assertTrue(scripts.size() >= 10, scripts.toString());
        List<String> found = new ArrayList<>();
        for (Path p : scripts) {
            String js = Files.readString(p, StandardCharsets.UTF_8);
            for (String sink : SINKS) {
                if (js.contains(sink)) {
                    found.add(root().relativize(p) + ": " + sink);
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void everyImportedModuleIsShipped() throws Exception {
        for (Path p : files(".js")) {
            Matcher m = IMPORT.matcher(Files.readString(p, StandardCharsets.UTF_8));
            while (m.find()) {
                assertTrue(Files.isRegularFile(p.getParent().resolve(m.group(1)).normalize()),
                        root().relativize(p) + " imports " + m.group(1));
            }
        }
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws IOException, URISyntaxException {
        String html = Files.readString(root().resolve("index.html"), StandardCharsets.UTF_8);
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src=\"/console/"), scripts.group());
            assertEquals("", scripts.group(2).strip(), scripts.group());
        }
        assertEquals(1, count);
        assertFalse(html.contains("<style"), "no style element");
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no event handler attribute");
    }

    @Test
    void theContentSecurityPolicyAllowsNoInlineOrEvaluatedScript() {
        String csp = ConsoleAssets.CSP;
        assertTrue(csp.startsWith("default-src 'none'; script-src 'self';"), csp);
        assertFalse(csp.contains("unsafe-"), csp);
        assertFalse(csp.contains("*"), csp);
    }
}
