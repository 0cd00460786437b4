package io.heliotrope.broker.api.auth;

import io.heliotrope.broker.config.BrokerConfig.TokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured bearer tokens: an {@code authorization: Bearer <token>} header to its
 * {@link Principal}, compared by SHA-256 digest in constant time. Shared by gRPC and HTTP; a
 * config reload replaces the set at once ({@link #replace}).
 */
public final class Tokens {
  private final boolean enabled;
  private volatile Map<String, Principal> byDigest;

  public Tokens(List<TokenConfig> tokens) {
    this.enabled = !tokens.isEmpty();
    this.byDigest = digests(tokens);
  }

  /**
   * Rotates the tokens: calls after this return are checked against {@code tokens} only. Auth is
   * not turned on or off this way: that decides which address the broker may bind (a restart).
   */
  public void replace(List<TokenConfig> tokens) {
    if (tokens.isEmpty() == enabled) {
      throw new IllegalArgumentException("auth.tokens: turning auth " + (enabled ? "off" : "on") + " needs a restart");
    }
    byDigest = digests(tokens);
  }

  private static Map<String, Principal> digests(List<TokenConfig> tokens) {
    Map<String, Principal> byDigest = new HashMap<>();
    for (TokenConfig t : tokens) {
      byDigest.put(digest(t.token()), new Principal(t.name(), t.role(), t.team()));
    }
    return Map.copyOf(byDigest);
  }

  /** False when no tokens are configured (a loopback-only broker): everyone is the local operator. */
  public boolean enabled() {
    return enabled;
  }

  public Optional<Principal> authenticate(String header) {
    if (!enabled) {
      return Optional.of(Principal.LOCAL_OPERATOR);
    }
    if (header == null || header.length() > 4096 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String presented = digest(header.substring(7).strip());
    Principal found = null;
    for (Map.Entry<String, Principal> e : byDigest.entrySet()) { // one volatile read: one consistent set
      if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.US_ASCII),
          presented.getBytes(StandardCharsets.US_ASCII))) {
        found = e.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  private static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
