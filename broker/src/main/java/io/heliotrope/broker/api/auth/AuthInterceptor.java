package io.heliotrope.broker.api.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Maps the {@code authorization: Bearer <token>} header to a {@link Principal} and enforces the
 * {@link AccessPolicy}: no or unknown token is UNAUTHENTICATED, a known token on another role's RPC
 * is PERMISSION_DENIED ({@link Tokens} compares them).
 */
public final class AuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Tokens tokens;

  public AuthInterceptor(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (AccessPolicy.isOpen(method)) {
      return next.startCall(call, headers);
    }
    Optional<Principal> found = tokens.authenticate(headers.get(AUTHORIZATION));
    if (found.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription(
          "missing or unknown bearer token: send 'authorization: Bearer <token>' (CLI: --token)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Principal principal = found.get();
    if (!AccessPolicy.allows(principal.role(), method)) {
      call.close(Status.PERMISSION_DENIED.withDescription("role '" + principal.role().wireName() + "' (token '"
          + principal.name() + "') may not call " + method), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(Principal.KEY, principal);
    return Contexts.interceptCall(ctx, call, headers, next);
  }

}
