package io.heliotrope.broker.api.auth;

import io.grpc.Context;
import io.heliotrope.broker.config.BrokerConfig.Role;

/** Who is calling: the token's name, its role and, for the team role, its team. */
public record Principal(String name, Role role, String team) {
  static final Context.Key<Principal> KEY = Context.key("heliotrope-principal");

  /** Everyone is an operator when no auth is configured (the broker then binds to loopback only). */
  public static final Principal LOCAL_OPERATOR = new Principal("local (no auth configured)", Role.OPERATOR, "");

  /** The caller of the current RPC. */
  public static Principal current() {
    Principal p = KEY.get();
    if (p == null) {
      throw new IllegalStateException("no principal in context: AuthInterceptor is not installed");
    }
    return p;
  }

  public boolean isOperator() {
    return role == Role.OPERATOR;
  }

  /** May this caller see and change jobs of {@code jobTeam}? */
  public boolean canAccessTeam(String jobTeam) {
    return isOperator() || role == Role.TEAM && team.equals(jobTeam);
  }
}
