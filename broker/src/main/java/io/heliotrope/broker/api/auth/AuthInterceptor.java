package io.heliotrope.broker.api.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.heliotrope.broker.config.BrokerConfig.TokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the {@code authorization: Bearer <token>} header to a {@link Principal} and enforces the
 * {@link AccessPolicy}: no or unknown token is UNAUTHENTICATED, a known token on another role's RPC
 * is PERMISSION_DENIED. Tokens are compared by SHA-256 digest in constant time.
 */
public final class AuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final boolean enabled;
  private final Map<String, Principal> byDigest = new HashMap<>();

  public AuthInterceptor(List<TokenConfig> tokens) {
    this.enabled = !tokens.isEmpty();
    for (TokenConfig t : tokens) {
      byDigest.put(digest(t.token()), new Principal(t.name(), t.role(), t.team()));
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (AccessPolicy.isOpen(method)) {
      return next.startCall(call, headers);
    }
    Principal principal;
    if (!enabled) {
      principal = Principal.LOCAL_OPERATOR;
    } else {
      Optional<Principal> found = authenticate(headers.get(AUTHORIZATION));
      if (found.isEmpty()) {
        call.close(Status.UNAUTHENTICATED.withDescription(
            "missing or unknown bearer token: send 'authorization: Bearer <token>' (CLI: --token)"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      principal = found.get();
    }
    if (!AccessPolicy.allows(principal.role(), method)) {
      call.close(Status.PERMISSION_DENIED.withDescription("role '" + principal.role().wireName() + "' (token '"
          + principal.name() + "') may not call " + method), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(Principal.KEY, principal);
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private Optional<Principal> authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String presented = digest(header.substring(7).strip());
    for (Map.Entry<String, Principal> e : byDigest.entrySet()) {
      if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.US_ASCII),
          presented.getBytes(StandardCharsets.US_ASCII))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
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
