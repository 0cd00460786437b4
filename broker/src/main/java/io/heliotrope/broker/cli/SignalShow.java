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
    description = {"Show a zone's signals over [from, to): actuals, else the latest forecast, and the prices of any "
        + "time-of-use tariff of the zone (ORIGIN 'tariff <id> <period>'). Times are RFC 3339 "
        + "(2023-01-01T00:00:00Z) or relative to now (24h, -24h).",
        "A zone a tariff names (CN-NM-W, CN-GD-PRD) is a zone here too."})
final class SignalShow extends SignalCall {
  @Option(names = "--zone", required = true) String zone;
  @Option(names = "--from", required = true, converter = Moment.Converter.class) Moment from;
  @Option(names = "--to", required = true, converter = Moment.Converter.class) Moment to;
  @Option(names = "--kind", split = ",", description = "only these kinds, e.g. CARBON_INTENSITY,PRICE")
  List<SignalKind> kinds = new ArrayList<>();

  @Override
  int call(Stubs stubs, SignalPrinter out) {
    Instant now = Instant.now();
    out.signals(stubs.blocking().getSignals(GetSignalsRequest.newBuilder().setZone(zone)
        .setFrom(JobMapper.timestamp(from.at(now))).setTo(JobMapper.timestamp(to.at(now)))
        .addAllKinds(kinds).build()));
    return 0;
  }
}
