package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.report.PeriodReport;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.telemetry.GreenMatching;
import io.heliotrope.broker.telemetry.GreenMatchingReport;
import io.heliotrope.broker.telemetry.PeriodAccounting;
import io.heliotrope.proto.v1.Report;
import io.heliotrope.proto.v1.ReportRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AdminService.GetReport's answer: the ledger's rows for the period, and the same report as
 * Markdown (grid events and green matching included) so a plain gRPC client gets it whole.
 */
public final class PeriodReports {
  private final JobRegistry jobs;
  private final PeriodAccounting accounting;
  private final GridEventBook events;
  private final GreenMatchingReport green;
  private final List<DataCenter> dataCenters;

  public PeriodReports(JobRegistry jobs, PeriodAccounting accounting, GridEventBook events, GreenMatchingReport green,
      List<DataCenter> dataCenters) {
    this.jobs = jobs;
    this.accounting = accounting;
    this.events = events;
    this.green = green;
    this.dataCenters = List.copyOf(dataCenters);
  }

  public Report build(Instant from, Instant to) {
    List<PeriodReport.Row> rows = accounting.rows(jobs.between(from, to), from, to).stream()
        .map(r -> new PeriodReport.Row(r.team(), r.dataCenter(), r.energyKwh(), r.carbonKg(), r.cost(),
            r.baselineCarbonKg(), r.baselineCost(), r.jobs())).toList();
    List<PeriodReport.EventLine> lines = new ArrayList<>();
    for (GridEvent e : events.list("", Set.of())) {
      if (e.start().isBefore(to) && e.end().isAfter(from)) {
        lines.add(new PeriodReport.EventLine(e.id(), e.kind().name().toLowerCase(Locale.ROOT), e.target(),
            e.status().name().toLowerCase(Locale.ROOT), e.start(), e.end(), e.committed().kilowatts(),
            e.delivered().kilowatts()));
      }
    }
    List<PeriodReport.GreenLine> greens = new ArrayList<>();
    int hours = (int) Math.max(1, Duration.between(from, to).toHours());
    for (DataCenter dc : dataCenters) {
      GreenMatching.Summary s = green.summary(dc, from, hours, Power.ZERO);
      if (s.supplyKwh() > 0) {
        greens.add(new PeriodReport.GreenLine(dc.name(), s.consumptionKwh(), s.supplyKwh(), s.selfConsumedKwh(),
            s.ownShareOfConsumption()));
      }
    }
    PeriodReport report = new PeriodReport(from, to, PeriodAccounting.CURRENCY, rows, lines, greens);
    Report.Builder b = Report.newBuilder().setCurrency(report.currency()).setMarkdown(report.markdown());
    for (PeriodReport.Row r : rows) {
      b.addRows(ReportRow.newBuilder().setTeam(r.team()).setDataCenter(r.dataCenter()).setEnergyKwh(r.energyKwh())
          .setCarbonKg(r.carbonKg()).setCost(r.cost()).setBaselineCarbonKg(r.baselineCarbonKg())
          .setBaselineCost(r.baselineCost()).setJobs(r.jobs()));
    }
    return b.build();
  }
}
