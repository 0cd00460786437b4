package io.heliotrope.agent.capping;

import com.google.protobuf.Timestamp;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.PowerCap;
import io.heliotrope.proto.v1.PowerCapAck;
import io.heliotrope.proto.v1.PowerLimit;
import java.util.ArrayList;
import java.util.List;

/** A broker command's caps and releases, answered; and the limits in force, for the wire. */
public final class CapCommands {
  static final String OFF = "capping is off on this agent (start it with --cap-state FILE)";

  private CapCommands() {}

  /** @param capper null when capping is off: every cap is refused, saying so */
  public static List<PowerCapAck> answer(Capper capper, AgentCommand command) {
    List<PowerCapAck> acks = new ArrayList<>();
    for (PowerCap cap : command.getCapsList()) {
      acks.add(capper == null
          ? PowerCapAck.newBuilder().setCapId(cap.getCapId()).setApplied(false).setError(OFF).build()
          : capper.apply(cap));
    }
    for (String id : command.getReleaseCapIdsList()) {
      acks.add(capper == null ? PowerCapAck.newBuilder().setCapId(id).setReleased(true).setApplied(true).build()
          : capper.release(id));
    }
    return acks;
  }

  public static List<PowerLimit> toProto(List<LimitInForce> limits) {
    List<PowerLimit> out = new ArrayList<>(limits.size());
    for (LimitInForce l : limits) {
      PowerLimit.Builder b = PowerLimit.newBuilder().setDevice(l.device().device())
          .setLimitWatts(l.device().limitWatts()).setDefaultWatts(l.device().defaultWatts())
          .setMinWatts(l.device().minWatts()).setMaxWatts(l.device().maxWatts());
      l.capId().ifPresent(b::setCapId);
      l.leaseExpires().ifPresent(t -> b.setLeaseExpires(
          Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build()));
      out.add(b.build());
    }
    return out;
  }
}
