package io.heliotrope.broker.cli;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.SignalKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show a zone's signals over [from, to): actuals, else the latest forecast. Times are RFC 3339 "
        + "(2023-01-01T00:00:00Z) or relative to now (24h).")
final class SignalShow extends SignalCall {
  @Option(names = "--zone", required = true) String zone;
  @Option(names = "--from", required = true) String from;
  @Option(names = "--to", required = true) String to;
  @Option(names = "--kind", split = ",", description = "only these kinds, e.g. CARBON_INTENSITY,PRICE")
  List<SignalKind> kinds = new ArrayList<>();

  @Override
  int call(Stubs stubs, SignalPrinter out) {
    Instant now = Instant.now();
    out.signals(stubs.blocking().getSignals(GetSignalsRequest.newBuilder().setZone(zone)
        .setFrom(JobMapper.timestamp(JobSubmit.time(from, now))).setTo(JobMapper.timestamp(JobSubmit.time(to, now)))
        .addAllKinds(kinds).build()));
    return 0;
  }
}
