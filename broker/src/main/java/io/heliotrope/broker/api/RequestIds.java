package io.heliotrope.broker.api;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id of a call: the caller's {@code x-request-id} when it is a sane token (it reaches
 * our logs, so no free text), else a fresh one. Carried in the gRPC {@link Context} so services and
 * what they call can log it; sent back in the response headers so a caller can quote it.
 */
public final class RequestIds {
  public static final Metadata.Key<String> HEADER = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  public static final Context.Key<String> KEY = Context.key("heliotrope-request-id");
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The current call's request id, or "" outside a call. */
  public static String current() {
    String id = KEY.get();
    return id == null ? "" : id;
  }

  static String from(Metadata headers) {
    String given = headers.get(HEADER);
    return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
  }
}
