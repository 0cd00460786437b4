package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.testing.BrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell command the docs show works as written. Each {@code ```sh} block of README.md and
 * docs/*.md runs as one bash script from a scratch directory laid out like the repository (its
 * folders linked in, {@code ../shared} beside it), against one fresh broker process
 * (HELIOTROPE_SERVER), with {@code broker.jar} built by this build; every command must exit 0, or
 * the status its comment names ({@code # exit 1: ...}). A block that cannot run here is marked in
 * the Markdown with {@code <!-- docs-test: skip REASON -->} on the line before its fence; skips
 * are counted and printed with their reasons, never silent (see docs/README "Docs are tested").
 */
class DocsIT {
  private static final Pattern SKIP = Pattern.compile("<!-- docs-test: skip (.+?) -->");
  private static final Pattern EXPECT = Pattern.compile("#\\s*exit (\\d+)\\b");

  record Block(Path file, int line, List<String> commands, String skip) {
    String where() {
      return file.getFileName() + ":" + line;
    }
  }

  @TempDir Path dir;

  static Path root() {
    return BrokerProcess.jar().getParent().getParent().getParent();
  }

  static List<Path> docs() throws Exception {
    List<Path> files = new ArrayList<>(List.of(root().resolve("README.md")));
    try (Stream<Path> s = Files.list(root().resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** The ```sh blocks of a Markdown file, their commands joined across backslash continuations. */
  static List<Block> blocks(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```sh")) {
        continue;
      }
      Matcher skip = i > 0 ? SKIP.matcher(lines.get(i - 1)) : SKIP.matcher("");
      int start = i + 1;
      List<String> commands = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        String l = lines.get(i);
        if (l.endsWith("\\")) {
          current.append(l, 0, l.length() - 1).append(' ');
          continue;
        }
        current.append(l);
        if (!current.toString().isBlank() && !current.toString().strip().startsWith("#")) {
          commands.add(current.toString());
        }
        current.setLength(0);
      }
      out.add(new Block(file, start, commands, skip.find() ? skip.group(1) : null));
    }
    return out;
  }

  /** One block as a bash script that stops at the first command with an unexpected exit status. */
  static String script(Block b) {
    StringBuilder sh = new StringBuilder("shopt -s expand_aliases\nset -o pipefail\n");
    for (String c : b.commands()) {
      Matcher m = EXPECT.matcher(c);
      int expected = m.find() ? Integer.parseInt(m.group(1)) : 0;
      sh.append(c).append('\n').append("rc=$?; if [ $rc -ne ").append(expected).append(" ]; then echo \"")
          .append(b.where()).append(": exit $rc (expected ").append(expected).append("): \"")
          .append(quote(c)).append(" >&2; exit 1; fi\n");
    }
    return sh.toString();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void everyShellCommandInTheDocsWorksAsWritten() throws Exception {
    List<Block> all = new ArrayList<>();
    for (Path f : docs()) {
      all.addAll(blocks(f));
    }
    List<Block> skipped = all.stream().filter(b -> b.skip() != null).toList();
    List<Block> run = all.stream().filter(b -> b.skip() == null).toList();
    System.out.printf("docs-test: %d sh block(s), %d run (%d command(s)), %d skipped:%n", all.size(), run.size(),
        run.stream().mapToInt(b -> b.commands().size()).sum(), skipped.size());
    skipped.forEach(b -> System.out.printf("  skipped %s: %s%n", b.where(), b.skip()));
    assertTrue(run.size() >= 4, "the docs test runs something: " + run.size());

    // A scratch copy of the layout: the repository's folders linked in, ../shared beside it, so
    // what a command writes (report/) lands in the temporary directory, not in the checkout.
    Path work = Files.createDirectories(dir.resolve("work"));
    for (String d : List.of("broker", "agents", "docs", "k8s", "proto", "examples", "clients", "bin")) {
      Files.createSymbolicLink(work.resolve(d), root().resolve(d));
    }
    Files.createSymbolicLink(dir.resolve("shared"), Path.of(System.getProperty("heliotrope.shared")).toRealPath());
    List<String> failures = new ArrayList<>();
    try (BrokerProcess broker = BrokerProcess.serve(dir.resolve("data"))) {
      for (Block b : run) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script(b)).directory(work.toFile());
        pb.environment().put("HELIOTROPE_SERVER", broker.address());
        pb.environment().remove("HELIOTROPE_TOKEN");
        // Short-lived JVMs start faster without the C2 compiler; the commands stay as written.
        pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), b.where() + " did not finish");
        System.out.printf("docs-test: ran %s (%d command(s)): exit %d%n", b.where(), b.commands().size(), p.exitValue());
        if (p.exitValue() != 0 || out.contains("\tat ")) {
          failures.add(b.where() + " exit " + p.exitValue() + "\n" + out);
        }
      }
    }
    assertEquals(List.of(), failures);
  }
}
