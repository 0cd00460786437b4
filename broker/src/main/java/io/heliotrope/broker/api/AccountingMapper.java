package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.telemetry.Accounting;
import io.heliotrope.broker.telemetry.JobAccountant;
import io.heliotrope.proto.v1.JobAccounting;

/** Adds the ledger's accounting to a job on the wire; kept apart so JobMapper stays about the job itself. */
final class AccountingMapper {
  private AccountingMapper() {}

  static io.heliotrope.proto.v1.Job withAccounting(io.heliotrope.proto.v1.Job proto, Job job, JobAccountant accountant) {
    return accountant.account(job).map(a -> proto.toBuilder().setAccounting(toProto(a)).build()).orElse(proto);
  }

  static JobAccounting toProto(Accounting a) {
    return JobAccounting.newBuilder()
        .setEnergyKwh(a.energy().kilowattHours())
        .setCarbonKg(a.carbonKg())
        .setCost(a.cost())
        .setCurrency(a.currency())
        .setEstimated(a.estimated())
        .setBaselineCarbonKg(a.baselineCarbonKg())
        .setBaselineCost(a.baselineCost())
        .build();
  }
}
