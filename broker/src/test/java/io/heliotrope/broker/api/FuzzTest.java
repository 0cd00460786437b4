package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.heliotrope.broker.testing.RawCalls;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated requests on every RPC of the four services, over real gRPC: random bytes, and messages
 * whose fields hold out-of-range numbers, huge and control-character strings, timestamps beyond
 * year 9999, unknown enum numbers. Every call must end in a status a client can act on (OK, or a
 * client error), never INTERNAL/UNKNOWN, never a message echoing kilobytes or a stack trace. The
 * figures go to docs/reliability.md ("Bad input and limits"). Seed and count:
 * -Dheliotrope.fuzz.seed, -Dheliotrope.fuzz.perMethod.
 */
class FuzzTest {
  private static final Set<Status.Code> EXPECTED = EnumSet.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
      Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.ALREADY_EXISTS,
      Status.Code.PERMISSION_DENIED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.OUT_OF_RANGE);
  private static final String[] STRINGS = {"", "DE-LU", "de-frankfurt", "vision", "x".repeat(5000),
      "line\nbreak\r\u0000\u001b[31m", "\u202e\ud83d\ude00", "../../etc/passwd", "%s%n%x", "9999-12-31T23:59:59Z"};
  private static final long[] LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE,
      Integer.MIN_VALUE, 253402300800L, -62135596801L, 4_294_967_296L};
  private static final double[] DOUBLES = {0, -1, 1e308, -1e308, Double.NaN, Double.POSITIVE_INFINITY,
      Double.MIN_VALUE, 4.9e-324, 1e9, 100};

  @TempDir Path dir;

  @Test
  void generatedBadRequestsOnEveryRpcGetOnlyExpectedStatuses() throws Exception {
    long seed = Long.getLong("heliotrope.fuzz.seed", 20261204L);
    int perMethod = Integer.getInteger("heliotrope.fuzz.perMethod", 100);
    Random rnd = new Random(seed);
    Map<String, Map<Status.Code, Integer>> byMethod = new TreeMap<>();
    Map<String, Long> millis = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    int tried = 0;
    try (TestBroker broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty())) {
      var channel = broker.channel();
      for (ServiceDescriptor service : List.of(JobServiceGrpc.getServiceDescriptor(),
          SignalServiceGrpc.getServiceDescriptor(), AgentServiceGrpc.getServiceDescriptor(),
          AdminServiceGrpc.getServiceDescriptor())) {
        for (MethodDescriptor<?, ?> m : service.getMethods()) {
          Message prototype = ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller()).getMessagePrototype()
              instanceof Message msg ? msg : null;
          // A watch that is accepted streams on: fewer of those, each waits for its first reply.
          int n = m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING ? perMethod / 6 : perMethod;
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            byte[] payload = i % 5 == 0 ? randomBytes(rnd) : generate(prototype, rnd, 0).toByteArray();
            Status s = RawCalls.call(channel, TestBroker.OPERATOR, m.getFullMethodName(), m.getType(), payload);
            tried++;
            byMethod.computeIfAbsent(m.getBareMethodName(), k -> new TreeMap<>()).merge(s.getCode(), 1, Integer::sum);
            String d = String.valueOf(s.getDescription());
            if (!EXPECTED.contains(s.getCode()) || d.length() > 2048 || d.contains("\tat ") || d.contains("\n")) {
              unexpected.add(m.getFullMethodName() + " -> " + s.getCode() + ": "
                  + d.substring(0, Math.min(200, d.length())));
            }
          }
          millis.put(m.getBareMethodName(), (System.nanoTime() - t0) / 1_000_000);
        }
      }
      ServingStatus health = HealthGrpc.newBlockingStub(broker.channel())
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
      System.out.println("FuzzTest seed=" + seed + " at " + Instant.now() + ": " + tried + " requests, "
          + unexpected.size() + " unexpected statuses; health " + health);
      byMethod.forEach((k, v) -> System.out.println("  " + k + " " + v + " (" + millis.get(k) + " ms)"));
      unexpected.stream().limit(20).forEach(u -> System.out.println("  UNEXPECTED " + u));
      assertEquals(ServingStatus.SERVING, health, "the broker still serves after the fuzzing");
    }
    assertEquals(List.of(), unexpected.stream().limit(20).toList(), unexpected.size() + " of " + tried);
  }

  private static byte[] randomBytes(Random rnd) {
    byte[] b = new byte[1 + rnd.nextInt(64)];
    rnd.nextBytes(b);
    return b;
  }

  /** The message with a random half of its fields set to hostile values, nested messages to depth 3. */
  private static Message generate(Message prototype, Random rnd, int depth) {
    Message.Builder b = prototype.newBuilderForType();
    for (FieldDescriptor f : prototype.getDescriptorForType().getFields()) {
      if (rnd.nextBoolean()) {
        continue;
      }
      if (f.isMapField()) {
        continue; // maps of strings: covered by strings elsewhere; builders for map entries are clumsy
      }
      int count = f.isRepeated() ? rnd.nextInt(depth == 0 && rnd.nextInt(10) == 0 ? 3000 : 4) : 1;
      for (int k = 0; k < count; k++) {
        Object v = value(f, b, rnd, depth);
        if (v == null) {
          continue;
        }
        if (f.isRepeated()) {
          b.addRepeatedField(f, v);
        } else {
          b.setField(f, v);
        }
      }
    }
    return b.build();
  }

  private static Object value(FieldDescriptor f, Message.Builder b, Random rnd, int depth) {
    return switch (f.getJavaType()) {
      case INT -> (int) LONGS[rnd.nextInt(LONGS.length)];
      case LONG -> LONGS[rnd.nextInt(LONGS.length)];
      case DOUBLE -> DOUBLES[rnd.nextInt(DOUBLES.length)];
      case FLOAT -> (float) DOUBLES[rnd.nextInt(DOUBLES.length)];
      case BOOLEAN -> rnd.nextBoolean();
      case STRING -> STRINGS[rnd.nextInt(STRINGS.length)];
      case BYTE_STRING -> com.google.protobuf.ByteString.copyFrom(randomBytes(rnd));
      case ENUM -> {
        var values = f.getEnumType().getValues();
        yield rnd.nextInt(5) == 0 ? f.getEnumType().findValueByNumberCreatingIfUnknown(99)
            : values.get(rnd.nextInt(values.size()));
      }
      case MESSAGE -> depth >= 3 ? null : generate(b.newBuilderForField(f).getDefaultInstanceForType(), rnd, depth + 1);
    };
  }
}
