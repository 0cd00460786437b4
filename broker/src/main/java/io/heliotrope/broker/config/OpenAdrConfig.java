package io.heliotrope.broker.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code grid.openadr:} section, resolved: the VTN the broker is a VEN of, its OAuth2 client
 * credentials (the secret already read from the environment or a file; it never prints), how often
 * to poll, the VENs (one per site) and the data centres each one's resources stand for, and where
 * the VTN's webhook notifications arrive, if anywhere.
 */
public record OpenAdrConfig(URI vtnUrl, String clientId, String clientSecret, Duration pollInterval,
    Duration requestTimeout, List<Ven> vens, Optional<Webhook> webhook) {
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public OpenAdrConfig {
    vens = List.copyOf(vens);
  }

  /** One VEN: the name events target, the data centres it stands for (one resource each). */
  public record Ven(String venName, List<String> dataCenters) {
    public Ven {
      dataCenters = List.copyOf(dataCenters);
    }
  }

  /**
   * The notifications endpoint: a port of its own (0 = a free one) and the URL the VTN calls; an
   * empty URL means {@code http://<server.host>:<bound port>/openadr/notifications}.
   */
  public record Webhook(int port, Optional<URI> callbackUrl) {}

  @Override
  public String toString() {
    return "OpenAdrConfig[vtnUrl=" + vtnUrl + ", clientId=" + clientId + ", clientSecret=<redacted>, pollInterval="
        + pollInterval + ", requestTimeout=" + requestTimeout + ", vens=" + vens + ", webhook=" + webhook + "]";
  }
}
