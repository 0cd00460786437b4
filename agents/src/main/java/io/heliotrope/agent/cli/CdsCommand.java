package io.heliotrope.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes a static class-data sharing (AppCDS) archive for {@code agent run}: the classes it loads
 * (JDK and agent, listed in the jar's {@code io/heliotrope/agent/cds/agent.classlist}, recorded by
 * {@code agents/bench/cds-classlist.sh}) pre-parsed into one file the JVM maps at start instead
 * of parsing them into metaspace. The DaemonSet's init container runs it into an emptyDir and the
 * agent starts with {@code -XX:SharedArchiveFile}; see docs/agent.md. The archive only fits the
 * same JDK and the same jar at the same path: {@code -Xshare:auto} falls back to no archive.
 */
@Command(name = "cds", mixinStandardHelpOptions = true,
    description = "Write a class-data sharing archive for `run` (start the agent with -XX:SharedArchiveFile=ARCHIVE).")
final class CdsCommand implements Callable<Integer> {
  static final String CLASS_LIST = "/io/heliotrope/agent/cds/agent.classlist";

  @Option(names = "--archive", required = true, paramLabel = "FILE",
      description = "Archive to write, e.g. /cds/agent.jsa; the class list goes beside it (FILE.classlist).")
  Path archive;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    String classPath = jarClassPath();
    if (classPath == null) {
      err.println("cds: not running from jars; run it as java -jar agent.jar cds --archive FILE"
          + " (or with the image's -cp @/app/jib-classpath-file)");
      return 2;
    }
    Path absolute = archive.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path classList = absolute.resolveSibling(absolute.getFileName() + ".classlist");
    try (InputStream in = CdsCommand.class.getResourceAsStream(CLASS_LIST)) {
      if (in == null) {
        err.println("cds: the jar has no " + CLASS_LIST);
        return 2;
      }
      Files.copy(in, classList, StandardCopyOption.REPLACE_EXISTING);
    }
    // The class path must be the one `run` will have: -jar <this jar>, or the image's jars, at these same paths.
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path log = absolute.resolveSibling(absolute.getFileName() + ".log");
    Process dump = new ProcessBuilder(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + absolute, "-cp", classPath))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    dump.getOutputStream().close();
    int exit = dump.waitFor();
    if (exit != 0 || !Files.isRegularFile(absolute)) {
      err.println("cds: java -Xshare:dump failed (exit " + exit + "), see " + log);
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("wrote " + absolute + " (" + Files.size(absolute) / 1024 + " KiB) for class path " + classPath);
    out.flush();
    return 0;
  }

  /**
   * This JVM's class path with absolute paths, when it is made of jars only (java -jar agent.jar,
   * or the image's jars); null when run from class directories (tests, IDE), which CDS cannot map.
   */
  private static String jarClassPath() {
    List<String> jars = new java.util.ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (entry.isEmpty() || !Files.isRegularFile(path)) {
        return null;
      }
      jars.add(path.toString());
    }
    return String.join(java.io.File.pathSeparator, jars);
  }
}
