package io.heliotrope.broker.api;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.InvalidSignalException;
import io.heliotrope.broker.signal.PeriodPrice;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.TariffPeriod;
import io.heliotrope.broker.signal.TariffPeriodKind;
import io.heliotrope.broker.signal.TariffSeason;
import io.heliotrope.broker.signal.Violation;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.broker.domain.Limits;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * heliotrope.v1 signal and tariff messages to and from the signal model, one to one. Missing or
 * unspecified values become nulls the model's validators report by field name; what cannot be
 * represented at all (an unknown time zone) is reported here, in the same shape.
 */
public final class SignalMapper {
  private SignalMapper() {}

  /**
   * The request's points; an empty {@code source} becomes {@code defaultSource}. What the model
   * cannot even hold (a timestamp beyond year 9999, a megabyte unit) is refused here, every such
   * problem of the batch at once, before the model's own validation.
   */
  public static List<SignalPoint> points(PublishSignalsRequest req, String defaultSource) {
    List<Violation> problems = new ArrayList<>();
    BiConsumer<String, String> problem = (f, d) -> problems.add(new Violation(f, d));
    List<SignalPoint> out = new ArrayList<>(req.getPointsCount());
    for (int i = 0; i < req.getPointsCount(); i++) {
      io.heliotrope.proto.v1.SignalPoint p = req.getPoints(i);
      String at = "points[" + i + "].";
      Instant start = p.hasStart() ? Times.instant(p.getStart(), at + "start", problem) : null;
      Instant end = p.hasEnd() ? Times.instant(p.getEnd(), at + "end", problem) : null;
      Instant issued = p.hasIssued() ? Times.instant(p.getIssued(), at + "issued", problem) : null;
      Fields.id(at + "zone", p.getZone(), problem);
      Fields.id(at + "data_center", p.getDataCenter(), problem);
      Fields.id(at + "source", p.getSource(), problem);
      Fields.max(at + "unit", p.getUnit(), Limits.MAX_UNIT, problem);
      out.add(new SignalPoint(p.getZone(), p.getDataCenter(), kind(p.getKind()), start, end,
          p.getValue(), p.getUnit(), basis(p.getCarbonBasis()), p.getForecast(), issued,
          p.getSource().isEmpty() ? defaultSource : p.getSource()));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSignalException(problems);
    }
    return out;
  }

  public static io.heliotrope.proto.v1.SignalPoint toProto(SignalPoint p) {
    var b = io.heliotrope.proto.v1.SignalPoint.newBuilder().setZone(p.zone()).setDataCenter(p.dataCenter())
        .setKind(io.heliotrope.proto.v1.SignalKind.valueOf(p.kind().name()))
        .setStart(JobMapper.timestamp(p.start())).setEnd(JobMapper.timestamp(p.end())).setValue(p.value())
        .setUnit(p.unit()).setForecast(p.forecast()).setSource(p.source());
    if (p.basis() != CarbonBasis.UNSPECIFIED) {
      b.setCarbonBasis(io.heliotrope.proto.v1.CarbonBasis.valueOf(p.basis().name()));
    }
    if (p.issued() != null) {
      b.setIssued(JobMapper.timestamp(p.issued()));
    }
    return b.build();
  }

  /** A tariff's prices over [from, to) as PRICE points marked with the tariff ("tariff:<id>") and period. */
  static java.util.List<io.heliotrope.proto.v1.SignalPoint> tariffPoints(String zone,
      io.heliotrope.broker.signal.Tariff t, java.time.Instant from, java.time.Instant to) {
    return io.heliotrope.broker.signal.TariffPrices.over(t, from, to).stream()
        .map(i -> io.heliotrope.proto.v1.SignalPoint.newBuilder().setZone(zone)
            .setKind(io.heliotrope.proto.v1.SignalKind.PRICE).setStart(JobMapper.timestamp(i.start()))
            .setEnd(JobMapper.timestamp(i.end())).setValue(i.perMwh()).setUnit(t.currency() + "/MWh")
            .setSource("tariff:" + t.id())
            .setTariffPeriod(io.heliotrope.proto.v1.TariffPeriodKind.valueOf(i.kind().name())).build())
        .toList();
  }

  /** Null for UNSPECIFIED (the validator says "kind is required"). */
  public static SignalKind kind(io.heliotrope.proto.v1.SignalKind k) {
    return k == io.heliotrope.proto.v1.SignalKind.SIGNAL_KIND_UNSPECIFIED
        || k == io.heliotrope.proto.v1.SignalKind.UNRECOGNIZED ? null : SignalKind.valueOf(k.name());
  }

  static CarbonBasis basis(io.heliotrope.proto.v1.CarbonBasis b) {
    return b == io.heliotrope.proto.v1.CarbonBasis.CARBON_BASIS_UNSPECIFIED
        || b == io.heliotrope.proto.v1.CarbonBasis.UNRECOGNIZED ? CarbonBasis.UNSPECIFIED : CarbonBasis.valueOf(b.name());
  }

  public static Tariff tariff(io.heliotrope.proto.v1.Tariff t) {
    List<Violation> problems = new ArrayList<>();
    BiConsumer<String, String> problem = (f, d) -> problems.add(new Violation(f, d));
    Fields.id("tariff.id", t.getId(), problem);
    Fields.max("tariff.name", t.getName(), Limits.MAX_TEXT, problem);
    Fields.id("tariff.source", t.getSource(), problem);
    Fields.max("tariff.currency", t.getCurrency(), Limits.MAX_UNIT, problem);
    for (int i = 0; i < t.getZonesCount(); i++) {
      Fields.id("tariff.zones[" + i + "]", t.getZones(i), problem);
    }
    ZoneId zone = null;
    if (!t.getTimeZone().isEmpty()) {
      try {
        zone = ZoneId.of(t.getTimeZone());
      } catch (DateTimeException e) {
        problems.add(new Violation("tariff.time_zone", "unknown time zone " + Limits.echo(t.getTimeZone())));
      }
    }
    List<TariffSeason> seasons = new ArrayList<>();
    for (int s = 0; s < t.getSeasonsCount(); s++) {
      io.heliotrope.proto.v1.TariffSeason season = t.getSeasons(s);
      Set<TariffSeason.DayKind> days = EnumSet.noneOf(TariffSeason.DayKind.class);
      for (int d = 0; d < season.getDayKindsCount(); d++) {
        String day = season.getDayKinds(d).toUpperCase(Locale.ROOT);
        if (day.equals("WEEKDAY") || day.equals("WEEKEND")) {
          days.add(TariffSeason.DayKind.valueOf(day));
        } else {
          problems.add(new Violation("tariff.seasons[" + s + "].day_kinds[" + d + "]",
              Limits.echo(season.getDayKinds(d)) + " is not weekday or weekend"));
        }
      }
      List<TariffPeriod> periods = new ArrayList<>();
      for (int p = 0; p < season.getPeriodsCount(); p++) {
        io.heliotrope.proto.v1.TariffPeriod period = season.getPeriods(p);
        TariffPeriodKind kind = period.getKind() == io.heliotrope.proto.v1.TariffPeriodKind.TARIFF_PERIOD_KIND_UNSPECIFIED
            || period.getKind() == io.heliotrope.proto.v1.TariffPeriodKind.UNRECOGNIZED
            ? null : TariffPeriodKind.valueOf(period.getKind().name());
        PeriodPrice price = switch (period.getPriceCase()) {
          case PRICE_PER_MWH -> new PeriodPrice.Absolute(period.getPricePerMwh());
          case RATIO_TO_FLAT -> new PeriodPrice.RatioToFlat(period.getRatioToFlat());
          default -> null;
        };
        periods.add(TariffPeriod.of(kind, period.getStart(), period.getEnd(), price));
      }
      seasons.add(new TariffSeason(new HashSet<>(season.getMonthsList()), periods, days));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSignalException(problems);
    }
    return new Tariff(t.getId(), t.getName(), t.getZonesList(), t.getCurrency(), t.getFlatPricePerMwh(), zone,
        seasons, t.getSource());
  }

  public static io.heliotrope.proto.v1.Tariff toProto(Tariff t) {
    var b = io.heliotrope.proto.v1.Tariff.newBuilder().setId(t.id()).setName(t.name()).addAllZones(t.zones())
        .setCurrency(t.currency()).setFlatPricePerMwh(t.flatPricePerMwh()).setTimeZone(t.timeZone().getId())
        .setSource(t.source());
    for (TariffSeason s : t.seasons()) {
      var sb = io.heliotrope.proto.v1.TariffSeason.newBuilder().addAllMonths(s.months().stream().sorted().toList());
      s.dayKinds().stream().sorted().forEach(d -> sb.addDayKinds(d.name().toLowerCase(Locale.ROOT)));
      for (TariffPeriod p : s.periods()) {
        var pb = io.heliotrope.proto.v1.TariffPeriod.newBuilder()
            .setKind(io.heliotrope.proto.v1.TariffPeriodKind.valueOf(p.kind().name()))
            .setStart(TariffPeriod.format(p.startMinute())).setEnd(TariffPeriod.format(p.endMinute()));
        if (p.price() instanceof PeriodPrice.RatioToFlat r) {
          pb.setRatioToFlat(r.ratio());
        } else {
          pb.setPricePerMwh(((PeriodPrice.Absolute) p.price()).perMwh());
        }
        sb.addPeriods(pb);
      }
      b.addSeasons(sb);
    }
    return b.build();
  }
}
