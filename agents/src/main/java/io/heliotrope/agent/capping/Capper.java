package io.heliotrope.agent.capping;

import com.google.protobuf.Timestamp;
import io.heliotrope.proto.v1.PowerCap;
import io.heliotrope.proto.v1.PowerCapAck;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent's power caps: applies and releases them on the broker's command, holds each for its
 * lease and restores the device when the lease runs out unrenewed (a lost broker leaves no cap
 * behind), restores everything on exit, and on start restores what a crashed run left (from the
 * {@link CapStateFile}). A cap is all or nothing: refused whole when any device it names is out of
 * range, undone whole when a device fails midway.
 */
public final class Capper {
  public static final Duration MAX_LEASE = Duration.ofHours(1);
  private final List<LimitControl> controls;
  private final CapStateFile state;
  private final Clock clock;
  /** Last read (or set) limit per device. */
  private final Map<String, DeviceLimit> devices = new TreeMap<>();
  /** Limit before Heliotrope's first change, per device changed: what the state file holds. */
  private final Map<String, Double> before = new TreeMap<>();
  private final Map<String, Held> held = new HashMap<>();

  private record Held(String capId, double watts, Instant expires) {}

  public Capper(List<LimitControl> controls, CapStateFile state, Clock clock) {
    this.controls = List.copyOf(controls);
    this.state = state;
    this.clock = clock;
  }

  /**
   * Restores the limits a previous run left in force, then reads the devices. Returns the problems
   * (a device that could not be restored stays in the state file for the next start).
   */
  public synchronized List<String> start() {
    List<String> problems = new ArrayList<>();
    try {
      before.putAll(state.load());
    } catch (IOException e) {
      problems.add("cannot read " + state.path() + ": " + e.getMessage());
    }
    for (Map.Entry<String, Double> e : new TreeMap<>(before).entrySet()) {
      try {
        control(e.getKey()).set(e.getKey(), e.getValue());
        before.remove(e.getKey());
        problems.add("restored " + e.getKey() + " to " + e.getValue() + " W, left capped by a previous run");
      } catch (IOException | IllegalArgumentException x) {
        problems.add("cannot restore " + e.getKey() + " to " + e.getValue() + " W: " + x.getMessage());
      }
    }
    persist(problems);
    refresh(problems);
    return problems;
  }

  /** Applies or renews a cap; the answer for the broker. */
  public synchronized PowerCapAck apply(PowerCap cap) {
    PowerCapAck.Builder ack = PowerCapAck.newBuilder().setCapId(cap.getCapId());
    List<String> unread = new ArrayList<>();
    refresh(unread);
    List<String> problems = new ArrayList<>();
    List<DeviceLimit> targets = validate(cap, problems);
    if (targets.isEmpty()) {
      problems.addAll(unread); // why the device may be missing
    }
    if (!problems.isEmpty()) {
      return ack.setApplied(false).setError(String.join("; ", problems)).build();
    }
    Instant expires = clock.instant().plus(lease(cap));
    List<DeviceLimit> changed = new ArrayList<>();
    List<String> recorded = new ArrayList<>();
    try {
      for (DeviceLimit d : targets) {
        if (!before.containsKey(d.device())) {
          before.put(d.device(), d.limitWatts());
          recorded.add(d.device());
          state.save(before); // durable before the device changes
        }
        if (Math.abs(d.limitWatts() - cap.getLimitWatts()) > 0.005) {
          control(d.device()).set(d.device(), cap.getLimitWatts());
          changed.add(d);
          devices.put(d.device(), d.withLimit(cap.getLimitWatts()));
        }
      }
    } catch (IOException e) {
      return ack.setApplied(false).setError("cannot set the limit: " + e.getMessage() + undo(changed, recorded)).build();
    }
    for (DeviceLimit d : targets) {
      held.put(d.device(), new Held(cap.getCapId(), cap.getLimitWatts(), expires));
    }
    return ack.setApplied(true).setLeaseExpires(timestamp(expires)).build();
  }

  /** Puts a failed cap's devices back as they were: to the limit before Heliotrope, or another cap's. */
  private String undo(List<DeviceLimit> changed, List<String> recorded) {
    List<String> problems = new ArrayList<>();
    for (DeviceLimit d : changed) {
      if (!recorded.contains(d.device())) {
        try {
          control(d.device()).set(d.device(), d.limitWatts());
          devices.put(d.device(), d);
        } catch (IOException e) {
          problems.add("cannot put " + d.device() + " back to " + d.limitWatts() + " W: " + e.getMessage());
        }
      }
    }
    for (String device : recorded) {
      if (changed.stream().anyMatch(d -> d.device().equals(device))) {
        restore(device, problems);
      } else {
        before.remove(device); // its set failed: the device kept its limit
      }
    }
    persist(problems);
    return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
  }

  /** Releases a cap (unknown ids too: a release is idempotent). */
  public synchronized PowerCapAck release(String capId) {
    List<String> problems = new ArrayList<>();
    for (String device : devicesOf(capId)) {
      restore(device, problems);
    }
    PowerCapAck.Builder ack = PowerCapAck.newBuilder().setCapId(capId).setReleased(true).setApplied(problems.isEmpty());
    return problems.isEmpty() ? ack.build() : ack.setError(String.join("; ", problems)).build();
  }

  /** Restores devices whose lease ran out; called every tick. Returns what it restored and any problems. */
  public synchronized List<String> expire() {
    Instant now = clock.instant();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Held> e : new TreeMap<>(held).entrySet()) {
      if (!e.getValue().expires().isAfter(now)) {
        out.add("lease of cap " + e.getValue().capId() + " on " + e.getKey() + " expired unrenewed; restoring");
        restore(e.getKey(), out);
      }
    }
    return out;
  }

  /** Restores every device Heliotrope changed: on exit. */
  public synchronized List<String> restoreAll() {
    List<String> problems = new ArrayList<>();
    for (String device : new ArrayList<>(before.keySet())) {
      restore(device, problems);
    }
    return problems;
  }

  /** Every cappable device's limit now. */
  public synchronized List<LimitInForce> limits() {
    List<LimitInForce> out = new ArrayList<>();
    for (DeviceLimit d : devices.values()) {
      Held h = held.get(d.device());
      DeviceLimit shown = before.containsKey(d.device()) && d.device().startsWith("package-")
          ? new DeviceLimit(d.device(), d.limitWatts(), before.get(d.device()), d.minWatts(), d.maxWatts()) : d;
      out.add(new LimitInForce(shown, h == null ? Optional.empty() : Optional.of(h.capId()),
          h == null ? Optional.empty() : Optional.of(h.expires())));
    }
    return out;
  }

  private List<DeviceLimit> validate(PowerCap cap, List<String> problems) {
    if (cap.getCapId().isBlank()) {
      problems.add("cap_id: required");
    }
    Duration lease = lease(cap);
    if (lease.isZero() || lease.isNegative() || lease.compareTo(MAX_LEASE) > 0) {
      problems.add("lease: must be more than 0 and at most " + MAX_LEASE.toMinutes() + " minutes, was " + lease);
    }
    double w = cap.getLimitWatts();
    if (!Double.isFinite(w) || w <= 0) {
      problems.add("limit_watts: must be a finite number > 0, was " + w);
    }
    List<DeviceLimit> targets = new ArrayList<>();
    for (DeviceLimit d : devices.values()) {
      if (d.device().equals(cap.getDevice()) || d.device().startsWith(cap.getDevice() + "-")
          && d.device().substring(cap.getDevice().length() + 1).chars().allMatch(Character::isDigit)) {
        targets.add(d);
      }
    }
    if (targets.isEmpty()) {
      problems.add("device: no cappable device '" + cap.getDevice() + "' on this node (have "
          + (devices.isEmpty() ? "none" : String.join(", ", devices.keySet())) + ")");
    }
    for (DeviceLimit d : targets) {
      if (Double.isFinite(w) && w > 0 && (w < d.minWatts() - 1e-9 || w > d.maxWatts() + 1e-9)) {
        problems.add("limit_watts: " + w + " W is outside " + d.device() + "'s range [" + d.minWatts() + ", "
            + d.maxWatts() + "] W");
      }
    }
    return targets;
  }

  private void restore(String device, List<String> problems) {
    Double to = before.get(device);
    held.remove(device);
    if (to == null) {
      return;
    }
    try {
      control(device).set(device, to);
      before.remove(device);
      DeviceLimit d = devices.get(device);
      if (d != null) {
        devices.put(device, d.withLimit(to));
      }
    } catch (IOException | IllegalArgumentException e) {
      problems.add("cannot restore " + device + " to " + to + " W: " + e.getMessage());
    }
    persist(problems);
  }

  private void persist(List<String> problems) {
    try {
      state.save(before);
    } catch (IOException e) {
      problems.add("cannot write " + state.path() + ": " + e.getMessage());
    }
  }

  private void refresh(List<String> problems) {
    for (LimitControl c : controls) {
      try {
        devices.keySet().removeIf(d -> d.startsWith(c.kind() + "-"));
        for (DeviceLimit d : c.read()) {
          devices.put(d.device(), d);
        }
      } catch (IOException e) {
        problems.add(c.kind() + ": " + e.getMessage());
      }
    }
  }

  private List<String> devicesOf(String capId) {
    List<String> out = new ArrayList<>();
    held.forEach((device, h) -> {
      if (h.capId().equals(capId)) {
        out.add(device);
      }
    });
    return out;
  }

  private LimitControl control(String device) {
    for (LimitControl c : controls) {
      if (device.startsWith(c.kind() + "-")) {
        return c;
      }
    }
    throw new IllegalArgumentException("no control for device " + device + " (is its kind enabled?)");
  }

  private static Duration lease(PowerCap cap) {
    return Duration.ofSeconds(cap.getLease().getSeconds(), cap.getLease().getNanos());
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
