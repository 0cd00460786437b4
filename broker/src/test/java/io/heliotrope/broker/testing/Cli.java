package io.heliotrope.broker.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** broker.jar's CLI as a separate process, as a user runs it. */
public final class Cli {
  private Cli() {}

  /** What a run printed and how it exited. */
  public record Run(int exit, String out, String err) {
    /** One line of error, no stack trace: what a person sees when something is wrong. */
    public Run assertCleanError(int code, String contains) {
      assertTrue(exit == code, "exit " + exit + " instead of " + code + "\n" + out + err);
      assertTrue(err.contains(contains), err);
      assertFalse(err.contains("\tat ") || err.contains("Exception"), "a stack trace:\n" + err);
      return this;
    }
  }

  /** Runs {@code args}, with {@code --server} of the broker after the first two words ("job submit"). */
  public static Run run(BrokerProcess broker, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(args[0], args[1], "--server", broker.address()));
    cmd.addAll(List.of(args).subList(2, args.length));
    return raw(Map.of(), cmd.toArray(String[]::new));
  }

  /** Runs broker.jar with exactly these arguments and environment additions. */
  public static Run raw(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BrokerProcess.java(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-jar", BrokerProcess.jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("HELIOTROPE_SERVER");
    pb.environment().remove("HELIOTROPE_TOKEN");
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getErrorStream().readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not exit: " + cmd);
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
  }
}
