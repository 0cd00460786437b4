package io.heliotrope.agent.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes, killing any that outlive the timeout (a hung BMC must not stall sampling). */
public final class ProcessCommandRunner implements CommandRunner {
  @Override
  public Result run(List<String> command, Duration timeout) throws IOException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Drain both pipes concurrently so a chatty tool cannot block on a full pipe buffer.
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      throw new IOException("reading output of " + command.get(0), e.getCause());
    }
  }

  // A thread per pipe rather than the common pool: on a 2-core node that pool has one thread, and
  // draining stdout there while stderr fills would deadlock until the timeout.
  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try (stream) {
        result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.completeExceptionally(e);
      }
    }, "command-output");
    thread.setDaemon(true);
    thread.start();
    return result;
  }
}
