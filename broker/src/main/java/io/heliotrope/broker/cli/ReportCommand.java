package io.heliotrope.broker.cli;

import io.grpc.ManagedChannel;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.report.PeriodReport;
import io.heliotrope.broker.report.ReportFiles;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.GetReportRequest;
import io.heliotrope.proto.v1.Report;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code report}: a period's energy, carbon and cost from the broker's ledger, as Markdown and SVG. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write a report of [from, to) from the broker's energy ledger: report.md (energy, carbon and cost "
        + "per team and data centre, saving against run-now, grid events, green matching) and SVG plots. Times are "
        + "RFC 3339 (2026-01-01T00:00:00Z) or relative to now (-24h).")
public final class ReportCommand implements Callable<Integer>, Remote {
  @Mixin ClientOptions client;

  @Override
  public ClientOptions client() {
    return client;
  }

  @Option(names = "--from", required = true, converter = Moment.Converter.class) Moment from;
  @Option(names = "--to", defaultValue = "0s", converter = Moment.Converter.class, description = "end (default now)")
  Moment to;
  @Option(names = "--out", defaultValue = "heliotrope-report", description = "directory (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    Instant a = from.at(now);
    Instant b = to.at(now);
    ManagedChannel channel = client.channel();
    try {
      var stub = AdminServiceGrpc.newBlockingStub(channel);
      if (client.credentials() != null) {
        stub = stub.withCallCredentials(client.credentials());
      }
      Report r = stub.getReport(GetReportRequest.newBuilder().setFrom(JobMapper.timestamp(a))
          .setTo(JobMapper.timestamp(b)).build());
      List<PeriodReport.Row> rows = r.getRowsList().stream().map(x -> new PeriodReport.Row(x.getTeam(),
          x.getDataCenter(), x.getEnergyKwh(), x.getCarbonKg(), x.getCost(), x.getBaselineCarbonKg(),
          x.getBaselineCost(), x.getJobs())).toList();
      PeriodReport report = new PeriodReport(a, b, r.getCurrency(), rows, List.of(), List.of());
      List<Path> written = ReportFiles.write(out, r.getMarkdown(), report);
      Render render = client.render();
      if (render.format() == Render.Format.JSON || render.format() == Render.Format.YAML) {
        render.list(written, p -> com.fasterxml.jackson.databind.node.TextNode.valueOf(p.toString()), Path::toString,
            null);
      } else {
        written.forEach(System.out::println); // one path per line, in every text form
      }
      return 0;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
