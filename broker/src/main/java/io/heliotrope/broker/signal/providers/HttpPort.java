package io.heliotrope.broker.signal.providers;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP calls providers make, small enough that tests answer them from recorded fixtures and the
 * broker from {@link JdkHttpPort}.
 */
public interface HttpPort {
  Response send(Request request) throws IOException;

  /** A GET with headers and a timeout; toString hides header values and token query parameters. */
  record Request(URI uri, Map<String, String> headers, Duration timeout) {
    public Request {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      String safeUri = uri.toString().replaceAll("(?i)((?:security)?token=)[^&]*", "$1***");
      return "GET " + safeUri + " headers " + headers.keySet().stream().sorted().collect(Collectors.joining(","));
    }
  }

  record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }
}
