package io.heliotrope.broker.domain;

import java.util.List;
import java.util.Map;

/** What to run: a container image with its command, arguments and environment. */
public record ContainerSpec(String image, List<String> command, List<String> args, Map<String, String> env) {
  public ContainerSpec {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  public static ContainerSpec none() {
    return new ContainerSpec("", List.of(), List.of(), Map.of());
  }
}
