package io.heliotrope.agent.attribution;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pod UIDs from cgroup paths. The cgroupfs driver writes {@code kubepods/burstable/pod<uid>/...};
 * the systemd driver writes {@code kubepods-burstable-pod<uid with _ for ->.slice}.
 */
public final class PodUids {
  private static final String HEX = "[0-9a-fA-F]";
  private static final Pattern POD = Pattern.compile("pod(" + HEX + "{8}[-_]" + HEX + "{4}[-_]" + HEX
      + "{4}[-_]" + HEX + "{4}[-_]" + HEX + "{12})(?![0-9a-fA-F])");

  private PodUids() {}

  /** The pod UID in canonical form (lower case, dashes) if the path lies under kubepods. */
  public static Optional<String> fromCgroupPath(String path) {
    if (!path.contains("kubepods")) {
      return Optional.empty();
    }
    Matcher m = POD.matcher(path);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1).replace('_', '-').toLowerCase(Locale.ROOT));
  }
}
