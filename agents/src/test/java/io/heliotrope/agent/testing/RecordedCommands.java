package io.heliotrope.agent.testing;

import io.heliotrope.agent.sys.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays recorded tool outputs: each command line gets a queue of results, the last one repeating.
 * A command with no recording fails as a missing program does.
 */
public final class RecordedCommands implements CommandRunner {
  private final Map<List<String>, Deque<Result>> results = new HashMap<>();
  private final List<List<String>> calls = new ArrayList<>();

  public RecordedCommands reply(List<String> command, int exitCode, String stdoutResource) {
    results.computeIfAbsent(command, k -> new ArrayDeque<>())
        .add(new Result(exitCode, FakeTree.text(stdoutResource), ""));
    return this;
  }

  public List<List<String>> calls() {
    return calls;
  }

  @Override
  public Result run(List<String> command, Duration timeout) throws IOException {
    calls.add(command);
    Deque<Result> queue = results.get(command);
    if (queue == null) {
      throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
    }
    return queue.size() > 1 ? queue.poll() : queue.peek();
  }
}
