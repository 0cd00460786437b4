package io.heliotrope.agent.power.ipmi;

import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whole-node wall power from the BMC: {@code ipmitool dcmi power reading}. */
public final class IpmiDcmiSource implements PowerSource {
  public static final String NAME = "ipmi";
  static final List<String> COMMAND = List.of("ipmitool", "dcmi", "power", "reading");
  private static final Pattern INSTANTANEOUS =
      Pattern.compile("Instantaneous power reading:\\s*(\\d+(?:\\.\\d+)?)\\s*Watts", Pattern.CASE_INSENSITIVE);
  private static final Pattern STATE =
      Pattern.compile("Power reading state is:\\s*(\\w+)", Pattern.CASE_INSENSITIVE);
  // BMCs are slow; one that hangs must not hold up the next sample for long.
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final CommandRunner runner;

  public IpmiDcmiSource(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    CommandRunner.Result result;
    try {
      result = runner.run(COMMAND, TIMEOUT);
    } catch (IOException e) {
      throw new SourceUnavailableException("cannot run ipmitool: " + e.getMessage(), e);
    }
    if (!result.succeeded()) {
      throw new SourceUnavailableException("ipmitool dcmi power reading failed (exit " + result.exitCode()
          + "): " + result.stderr().strip());
    }
    return List.of(Reading.measured(NAME, "wall", Scope.NODE, parse(result.stdout())));
  }

  static Power parse(String output) throws SourceUnavailableException {
    Matcher state = STATE.matcher(output);
    if (state.find() && !state.group(1).equalsIgnoreCase("activated")) {
      // A deactivated reading is a stale or zero value, not a measurement.
      throw new SourceUnavailableException("BMC power reading state is " + state.group(1));
    }
    Matcher m = INSTANTANEOUS.matcher(output);
    if (!m.find()) {
      throw new SourceUnavailableException("no 'Instantaneous power reading' in ipmitool output");
    }
    return Power.watts(Double.parseDouble(m.group(1)));
  }
}
