package io.transflux.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A reader must be able to follow every reference the repository makes to its own documentation: a path
 * ending in {@code .md} in a comment or a page must name a file that exists, every section number written
 * after it ({@code §3.5}, {@code §5.2–§5.4}) must be a numbered heading of that file, and every relative
 * Markdown link must resolve, its {@code #anchor} included. Section numbers inside a page without a file
 * name refer to that page; those after {@code RFC nnnn} refer to the RFC and are not checked.
 *
 * <p>It reads the text files of the whole repository, so it lives in pipeline-core, the module that builds
 * first; it has nothing to do with the pipeline itself.
 */
class DocReferencesTest {

    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "java", "md", "xml", "py", "sh", "yaml", "yml", "properties", "txt");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".idea", ".mvn");
    private static final long MAX_FILE_BYTES = 2L << 20;

    /** A path ending in .md that is not part of a URL, an absolute path or an {@code owner/repo:path} name. */
    private static final Pattern MD_PATH = Pattern.compile("(?<![\\w./:@-])((?:[\\w.-]+/)*[\\w-]+\\.md)\\b");
    /** One or more section numbers joined by commas, dashes, "and", "or", "to". */
    private static final Pattern SECTION_GROUP = Pattern.compile(
            "§\\s?\\d+(?:\\.\\d+)*(?:\\s*(?:,|–|-|and|or|to)\\s*§\\s?\\d+(?:\\.\\d+)*)*");
    private static final Pattern SECTION = Pattern.compile("§\\s?(\\d+(?:\\.\\d+)*)");
    /** Text right before a section group that makes it someone else's section (an RFC, the tracker). */
    private static final Pattern FOREIGN_SECTION = Pattern.compile("(?i)(?:RFC\\s?\\d+|issue\\s?#?\\d+)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern HEADING_NUMBER = Pattern.compile("^(\\d+(?:\\.\\d+)*)\\.?\\s");
    private static final Pattern MD_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void everyDocReferenceInTheRepositoryResolvesToAFileAndItsSections() throws IOException {
        Path root = repositoryRoot();
        Checker checker = new Checker(root);
        List<String> problems = new ArrayList<>();
        List<Path> files = textFiles(root);
        for (Path file : files) {
            problems.addAll(checker.check(file, Files.readString(file, StandardCharsets.UTF_8)));
        }

        assertThat(files).as("text files scanned").hasSizeGreaterThan(100);
        assertThat(checker.referencesChecked).as("references found").isGreaterThan(40);
        assertThat(problems).as("references a reader cannot follow").isEmpty();
    }

    @Test
    void theCheckerReportsAMissingFileAMissingSectionAndABrokenAnchor() throws IOException {
        Path root = Files.createTempDirectory("doc-refs");
        try {
            // File names are assembled so that this source does not itself reference missing pages.
            String md = ".md";
            String pageMd = "page" + md;
            String docsPage = "docs/" + pageMd;
            Files.createDirectories(root.resolve("docs"));
            String page = "# Page\n\n## 1. One\n\n### 1.2 Sub part\n\nSee §1.2 and §3.\n";
            Files.writeString(root.resolve(docsPage), page);
            Checker checker = new Checker(root);
            String source = String.join("\n",
                    "// (" + docsPage + " §1, §1.2) fine",
                    "// (" + docsPage + " §1.2–§1.9) one bad section",
                    "// docs/gone" + md + " missing file",
                    "// " + pageMd + " §1 is not a path a reader can follow from here",
                    "// RFC 9110 §5.6.7 is not ours",
                    "// see https://example.com/README" + md + " and owner/repo:docs/x" + md);
            List<String> fromSource = checker.check(root.resolve("Src.java"), source);
            List<String> fromPage = checker.check(root.resolve(docsPage),
                    page + "[ok](" + pageMd + "#12-sub-part) [bad](" + pageMd + "#13-none) [gone](nowhere" + md + ")\n");

            assertThat(fromSource).hasSize(3);
            assertThat(fromSource).anySatisfy(p -> assertThat(p).contains("§1.9"));
            assertThat(fromSource).anySatisfy(p -> assertThat(p).contains("gone" + md));
            assertThat(fromSource).anySatisfy(p -> assertThat(p).contains(":4:"));
            assertThat(fromPage).containsExactlyInAnyOrder(
                    docsPage + ":7: §3 is not a numbered heading of " + docsPage,
                    docsPage + ":8: anchor #13-none is not a heading of " + docsPage,
                    docsPage + ":8: nowhere" + md + " does not exist",
                    docsPage + ":8: link target nowhere" + md + " does not exist");
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Finds problems in one file; remembers the headings of the pages it has read. */
    static final class Checker {
        private final Path root;
        private final Map<Path, Headings> headings = new HashMap<>();
        int referencesChecked;

        Checker(Path root) {
            this.root = root;
        }

        List<String> check(Path file, String text) {
            List<String> problems = new ArrayList<>();
            boolean markdown = file.getFileName().toString().endsWith(".md");
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String where = root.relativize(file) + ":" + (i + 1) + ": ";
                checkLine(file, markdown, lines[i], where, problems);
                if (markdown) {
                    checkLinks(file, lines[i], where, problems);
                }
            }
            return problems;
        }

        private void checkLine(Path file, boolean markdown, String line, String where, List<String> problems) {
            // Every .md path on the line: where it ends and what it resolves to (null: unresolved).
            List<int[]> ends = new ArrayList<>();
            List<Path> targets = new ArrayList<>();
            Matcher m = MD_PATH.matcher(line);
            while (m.find()) {
                String ref = m.group(1);
                Path target = resolve(file, ref);
                referencesChecked++;
                if (target == null) {
                    problems.add(where + ref + " does not exist");
                }
                ends.add(new int[] {m.end()});
                targets.add(target);
            }
            Matcher g = SECTION_GROUP.matcher(line);
            while (g.find()) {
                if (FOREIGN_SECTION.matcher(line.substring(0, g.start())).find()) {
                    continue;
                }
                Path owner = null;
                boolean owned = false;
                for (int k = ends.size() - 1; k >= 0; k--) {
                    if (ends.get(k)[0] <= g.start()) {
                        owner = targets.get(k);
                        owned = true;
                        break;
                    }
                }
                if (!owned) {
                    if (!markdown) {
                        continue;
                    }
                    owner = file;
                }
                if (owner == null) {
                    continue; // the missing file is already reported
                }
                Headings h = headingsOf(owner);
                Matcher s = SECTION.matcher(g.group());
                while (s.find()) {
                    if (!h.numbers.contains(s.group(1))) {
                        problems.add(where + "§" + s.group(1) + " is not a numbered heading of " + root.relativize(owner));
                    }
                }
            }
        }

        private void checkLinks(Path file, String line, String where, List<String> problems) {
            Matcher m = MD_LINK.matcher(line);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!Files.exists(resolved) && !path.isEmpty()) {
                    problems.add(where + "link target " + path + " does not exist");
                    continue;
                }
                if (anchor != null && resolved.toString().endsWith(".md")
                        && !headingsOf(resolved).anchors.contains(anchor)) {
                    problems.add(where + "anchor #" + anchor + " is not a heading of " + root.relativize(resolved));
                }
            }
        }

        /** A path as written: relative to the file that names it, or to the repository root. */
        private Path resolve(Path file, String ref) {
            for (Path base : List.of(file.getParent(), root)) {
                Path p = base.resolve(ref).normalize();
                if (p.startsWith(root) && Files.isRegularFile(p)) {
                    return p;
                }
            }
            return null;
        }

        private Headings headingsOf(Path page) {
            return headings.computeIfAbsent(page, Headings::read);
        }
    }

    /** The numbered headings of a Markdown page and the anchors GitHub gives its headings. */
    record Headings(Set<String> numbers, Set<String> anchors) {
        static Headings read(Path page) {
            Set<String> numbers = new HashSet<>();
            Set<String> anchors = new HashSet<>();
            List<String> lines;
            try {
                lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            boolean fenced = false;
            for (String line : lines) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher h = HEADING.matcher(line);
                if (fenced || !h.matches()) {
                    continue;
                }
                String title = h.group(1);
                Matcher n = HEADING_NUMBER.matcher(title);
                if (n.find()) {
                    numbers.add(n.group(1));
                }
                anchors.add(anchor(title));
            }
            return new Headings(numbers, anchors);
        }

        /** GitHub's rule: drop link and code markup, lower-case, keep letters, digits, spaces, '-' and '_'. */
        static String anchor(String title) {
            String text = title.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
            return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
        }
    }

    private static List<Path> textFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(root) && SKIPPED_DIRS.contains(name)
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                boolean text = dot > 0 && TEXT_EXTENSIONS.contains(name.substring(dot + 1))
                        || file.equals(root.resolve(".ci/run"));
                if (text && a.isRegularFile() && a.size() <= MAX_FILE_BYTES) {
                    files.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /** Surefire runs in the module directory; the repository root is the first parent with docs/ and a pom. */
    private static Path repositoryRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isDirectory(p.resolve("pipeline-core"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + Paths.get("").toAbsolutePath());
    }
}
