package io.heliotrope.broker.api.auth;

import io.heliotrope.broker.config.BrokerConfig.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which roles may call which RPC. The operator may call everything; health and reflection are
 * open so that probes and tools work without a token.
 */
public final class AccessPolicy {
  /** Every role that calls gRPC at all (a metrics token only scrapes). */
  private static final Set<Role> ANY = EnumSet.complementOf(EnumSet.of(Role.METRICS));
  private static final Map<String, Set<Role>> BY_SERVICE = Map.of(
      "heliotrope.v1.JobService", EnumSet.of(Role.TEAM, Role.OPERATOR),
      "heliotrope.v1.SignalService", EnumSet.of(Role.DISPATCH, Role.OPERATOR),
      "heliotrope.v1.AgentService", EnumSet.of(Role.AGENT, Role.OPERATOR),
      "heliotrope.v1.AdminService", EnumSet.of(Role.OPERATOR));
  /** Reading the grid's signals and events is useful to every role. */
  private static final Set<String> SIGNAL_READS = Set.of(
      "GetSignals", "ListTariffs", "GetGridEvent", "ListGridEvents", "WatchGridEvents", "GetFlexibility");

  private AccessPolicy() {}

  /** True for RPCs that need no token at all. */
  public static boolean isOpen(String fullMethodName) {
    return fullMethodName.startsWith("grpc.health.") || fullMethodName.startsWith("grpc.reflection.");
  }

  public static boolean allows(Role role, String fullMethodName) {
    int slash = fullMethodName.indexOf('/');
    String service = fullMethodName.substring(0, slash);
    String method = fullMethodName.substring(slash + 1);
    if (service.equals("heliotrope.v1.SignalService") && SIGNAL_READS.contains(method)) {
      return ANY.contains(role);
    }
    return BY_SERVICE.getOrDefault(service, EnumSet.of(Role.OPERATOR)).contains(role);
  }
}
