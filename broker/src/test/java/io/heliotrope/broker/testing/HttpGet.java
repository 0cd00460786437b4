package io.heliotrope.broker.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET over loopback, as a scraper or a browser would do it. */
public final class HttpGet {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpGet() {}

  public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return get(port, path, null);
  }

  /** With {@code Authorization: Bearer <token>} when {@code token} is not null. */
  public static HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }
}
