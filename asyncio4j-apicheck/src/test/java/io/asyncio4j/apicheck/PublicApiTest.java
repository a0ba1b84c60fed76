package io.asyncio4j.apicheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build's API check: each published module's public API must equal the dump kept in the
 * repository ({@code api/MODULE.api}). A change to the public API therefore fails the build
 * unless the same commit updates the dump ({@code ./asyncio4j api-dump}), which makes every API
 * change visible in review and in the changelog.
 */
class PublicApiTest {
    private static final Path API_DIR = Path.of(System.getProperty("asyncio4j.apiDir", "../api"));
    private static final Path BOM = API_DIR.resolveSibling("asyncio4j-bom").resolve("pom.xml");
    private static final boolean UPDATE = Boolean.getBoolean("asyncio4j.apiUpdate");
    /** The published modules; the check fails if one of them is missing from the class path. */
    private static final Set<String> PUBLISHED = Set.of("io.asyncio4j", "io.asyncio4j.http", "io.asyncio4j.sql");

    @Test
    void everyPublishedModuleMatchesItsApiDump() throws IOException {
        List<ApiDump.ModuleRoot> modules = ApiDump.modulesOnClassPath("io.asyncio4j");
        Set<String> names = new TreeSet<>();
        modules.forEach(m -> names.add(m.descriptor().name()));
        assertTrue(names.containsAll(PUBLISHED), "published modules on the class path: " + names);

        List<String> mismatches = new ArrayList<>();
        for (ApiDump.ModuleRoot module : modules) {
            String name = module.descriptor().name();
            String actual = ApiDump.dump(module, getClass().getClassLoader());
            Path file = API_DIR.resolve(name + ".api");
            if (UPDATE) {
                Files.createDirectories(API_DIR);
                Files.writeString(file, actual);
                continue;
            }
            String expected = Files.exists(file) ? Files.readString(file) : "";
            if (!expected.equals(actual)) {
                Path written = Path.of("target", "api", name + ".api");
                Files.createDirectories(written.getParent());
                Files.writeString(written, actual);
                mismatches.add(name + " (" + file + " vs " + written + "):\n" + diff(expected, actual));
            }
        }
        if (!mismatches.isEmpty()) {
            fail("The public API changed. If that is intended, run ./asyncio4j api-dump, commit the"
                + " updated api/*.api with the change and note it in CHANGELOG.md.\n"
                + String.join("\n", mismatches));
        }
    }

    @Test
    void everyDumpInTheRepositoryBelongsToAPublishedModule() throws IOException {
        assumeFalse(UPDATE, "the dumps are being rewritten");
        Set<String> dumps = new TreeSet<>();
        try (Stream<Path> files = Files.list(API_DIR)) {
            files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".api"))
                .forEach(n -> dumps.add(n.substring(0, n.length() - ".api".length())));
        }
        Set<String> onClassPath = new TreeSet<>();
        ApiDump.modulesOnClassPath("io.asyncio4j").forEach(m -> onClassPath.add(m.descriptor().name()));
        assertEquals(onClassPath, dumps, "api/ holds a dump for each module this check sees, and no other");
    }

    @Test
    void theBomManagesEveryPublishedArtifact() throws IOException {
        Set<String> artifacts = new TreeSet<>();
        for (ApiDump.ModuleRoot m : ApiDump.modulesOnClassPath("io.asyncio4j")) {
            artifacts.add(artifactOf(m.root()));
        }
        String bom = Files.readString(BOM);
        Set<String> managed = new TreeSet<>();
        var matcher = java.util.regex.Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(bom);
        while (matcher.find()) {
            managed.add(matcher.group(1));
        }
        managed.remove("asyncio4j-bom");
        assertEquals(artifacts, managed, "the artifacts " + BOM + " manages");
    }

    /** {@code .../asyncio4j-core/target/classes} or {@code .../asyncio4j-core/0.2.0/asyncio4j-core-0.2.0.jar}. */
    private static String artifactOf(Path root) {
        return root.toAbsolutePath().normalize().getParent().getParent().getFileName().toString();
    }

    /** The lines only one side has, each marked - (was in the dump) or + (is in the code now). */
    static String diff(String expected, String actual) {
        Set<String> was = new LinkedHashSet<>(expected.lines().toList());
        Set<String> now = new LinkedHashSet<>(actual.lines().toList());
        StringBuilder out = new StringBuilder();
        int shown = 0;
        String type = "";
        for (String line : actual.lines().toList()) {
            if (!line.startsWith(" ")) {
                type = line;
            }
            if (!was.contains(line) && shown++ < 60) {
                out.append("+ ").append(line.startsWith(" ") ? type + " :: " + line.strip() : line).append('\n');
            }
        }
        for (String line : expected.lines().toList()) {
            if (!line.startsWith(" ")) {
                type = line;
            }
            if (!now.contains(line) && shown++ < 60) {
                out.append("- ").append(line.startsWith(" ") ? type + " :: " + line.strip() : line).append('\n');
            }
        }
        if (shown > 60) {
            out.append("... and ").append(shown - 60).append(" more lines\n");
        }
        return out.toString();
    }
}
