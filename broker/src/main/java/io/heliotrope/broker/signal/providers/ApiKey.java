package io.heliotrope.broker.signal.providers;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret from config or the environment. {@link #toString()} never shows it, so a key cannot leak
 * through logs, exception messages or config dumps; only {@link #reveal()} does, at the HTTP call.
 */
public final class ApiKey {
  private final String value;

  private ApiKey(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static ApiKey of(String value) {
    return new ApiKey(value);
  }

  /** The key named by an environment variable, if set and not blank. */
  public static Optional<ApiKey> fromEnv(Map<String, String> env, String variable) {
    String v = env.get(variable);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(new ApiKey(v.trim()));
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey k && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
