package io.heliotrope.broker.report;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static io.heliotrope.broker.testing.Jobs.hours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.app.Main;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.GrpcAssertions;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.GetReportRequest;
import io.heliotrope.proto.v1.Report;
import io.heliotrope.proto.v1.ReportRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdminService.GetReport from the ledger, and the CLI's `report` writing Markdown and SVG from it. */
class ReportTest {
  @TempDir Path dir;

  @Test
  void reportsEnergyCarbonAndCostPerTeamAndDataCentre() throws Exception {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS);
    MutableClock clock = new MutableClock(t0);
    try (TestBroker broker = TestBroker.start(dir.resolve("data"), List.of(), Optional.empty(), clock)) {
      // Tight deadlines: the planner must start both now, so both run for the hour the clock moves.
      broker.jobs().submitJob(aJob().now(t0).team("vision").gpus(8).duration(hours(2)).deadlineIn(hours(2)).request());
      broker.jobs().submitJob(aJob().now(t0).team("speech").gpus(4).duration(hours(2)).deadlineIn(hours(2)).request());
      broker.broker().loop().cycle();
      broker.broker().loop().cycle();
      assertTrue(broker.broker().registry().all().stream().allMatch(j -> j.state() == JobState.RUNNING),
          () -> broker.broker().registry().all().toString());
      clock.advance(Duration.ofHours(1));

      var admin = AdminServiceGrpc.newBlockingStub(broker.channel());
      Report r = admin.getReport(GetReportRequest.newBuilder().setFrom(JobMapper.timestamp(t0.minus(hours(1))))
          .setTo(JobMapper.timestamp(t0.plus(hours(1)))).build());
      assertEquals("USD", r.getCurrency());
      assertEquals(List.of("speech", "vision"), r.getRowsList().stream().map(ReportRow::getTeam).sorted().toList());
      for (ReportRow row : r.getRowsList()) {
        assertEquals(1, row.getJobs());
        assertTrue(row.getEnergyKwh() > 0, row.toString());
        assertTrue(row.getCarbonKg() > 0 && row.getBaselineCarbonKg() > 0, row.toString());
      }
      ReportRow vision = r.getRowsList().stream().filter(x -> x.getTeam().equals("vision")).findFirst().orElseThrow();
      ReportRow speech = r.getRowsList().stream().filter(x -> x.getTeam().equals("speech")).findFirst().orElseThrow();
      assertEquals(2.0, vision.getEnergyKwh() / speech.getEnergyKwh(), 0.2, "8 GPUs draw about twice 4 GPUs");
      assertTrue(r.getMarkdown().contains("## Per team") && r.getMarkdown().contains("| vision |"), r.getMarkdown());
      assertTrue(r.getMarkdown().contains("| " + vision.getDataCenter() + " |"), r.getMarkdown());

      Report before = admin.getReport(GetReportRequest.newBuilder().setFrom(JobMapper.timestamp(t0.minus(hours(5))))
          .setTo(JobMapper.timestamp(t0.minus(hours(4)))).build());
      assertEquals(0, before.getRowsCount(), "nothing ran in that period");

      GrpcAssertions.assertStatus(Status.Code.INVALID_ARGUMENT, () -> admin.getReport(GetReportRequest.newBuilder()
          .setFrom(JobMapper.timestamp(t0)).setTo(JobMapper.timestamp(t0.minus(hours(1)))).build()));

      Path out = dir.resolve("report");
      int exit = Main.commandLine().execute("report", "--server", "127.0.0.1:" + broker.port(),
          "--from", t0.minus(hours(1)).toString(), "--to", t0.plus(hours(1)).toString(), "--out", out.toString());
      assertEquals(0, exit);
      String md = Files.readString(out.resolve("report.md"));
      assertTrue(md.startsWith(r.getMarkdown()), md);
      assertTrue(md.contains("![carbon-per-team](carbon-per-team.svg)"), md);
      String svg = Files.readString(out.resolve("carbon-per-team.svg"));
      assertTrue(svg.startsWith("<svg") && svg.contains(">vision<") && svg.contains(">speech<"), svg);
    }
  }
}
