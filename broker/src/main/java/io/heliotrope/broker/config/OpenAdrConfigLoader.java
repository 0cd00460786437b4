package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves {@code grid.openadr:}, adding every problem to the loader's list by its path (e.g.
 * {@code grid.openadr.vens[1].dataCenters[0]}). The client secret is read here and never appears in
 * a problem's text.
 */
final class OpenAdrConfigLoader {
  private static final String P = "grid.openadr";
  private final Map<String, String> env;

  OpenAdrConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  Optional<OpenAdrConfig> load(ConfigFile.OpenAdr o, List<DataCenter> dataCenters, List<String> problems) {
    if (o == null) {
      return Optional.empty();
    }
    int before = problems.size();
    URI vtn = httpUri(P + ".vtnUrl", o.vtnUrl(), true, problems);
    if (o.clientId() == null || o.clientId().isBlank()) {
      problems.add(P + ".clientId: required (the OAuth2 client ID the VTN's operator provisioned)");
    }
    String secret = secret(o, problems);
    Duration poll = SignalsConfigLoader.duration(P + ".pollInterval", o.pollInterval(), OpenAdrConfig.DEFAULT_POLL, problems);
    Duration timeout = SignalsConfigLoader.duration(P + ".requestTimeout", o.requestTimeout(), OpenAdrConfig.DEFAULT_REQUEST_TIMEOUT,
        problems);
    List<OpenAdrConfig.Ven> vens = vens(o.vens(), dataCenters, problems);
    Optional<OpenAdrConfig.Webhook> webhook = Optional.empty();
    if (o.webhook() != null) {
      int port = o.webhook().port() == null ? -1 : o.webhook().port();
      if (port < 0 || port > 65535) {
        problems.add(P + ".webhook.port: required, a TCP port (0-65535; 0 takes a free one)");
      }
      URI callback = httpUri(P + ".webhook.callbackUrl", o.webhook().callbackUrl(), false, problems);
      webhook = Optional.of(new OpenAdrConfig.Webhook(port, Optional.ofNullable(callback)));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new OpenAdrConfig(vtn, o.clientId(), secret, poll, timeout, vens, webhook));
  }

  private String secret(ConfigFile.OpenAdr o, List<String> problems) {
    if ((o.clientSecretEnv() == null) == (o.clientSecretFile() == null)) {
      problems.add(P + ": give exactly one of clientSecretEnv and clientSecretFile");
      return "";
    }
    if (o.clientSecretEnv() != null) {
      String v = env.get(o.clientSecretEnv());
      if (v == null || v.isBlank()) {
        problems.add(P + ".clientSecretEnv: environment variable " + o.clientSecretEnv() + " is not set");
        return "";
      }
      return v.strip();
    }
    try {
      String v = Files.readString(Path.of(o.clientSecretFile())).strip();
      if (v.isEmpty()) {
        problems.add(P + ".clientSecretFile: " + o.clientSecretFile() + " is empty");
      }
      return v;
    } catch (IOException | RuntimeException e) {
      problems.add(P + ".clientSecretFile: cannot read " + o.clientSecretFile());
      return "";
    }
  }

  private static List<OpenAdrConfig.Ven> vens(List<ConfigFile.Ven> entries, List<DataCenter> dataCenters,
      List<String> problems) {
    if (entries == null || entries.isEmpty()) {
      problems.add(P + ".vens: give at least one VEN, e.g. {venName: gd-shenzhen-ven, dataCenters: [cn-gd-shenzhen]}");
      return List.of();
    }
    Set<String> known = dataCenters.stream().map(DataCenter::name).collect(Collectors.toCollection(java.util.TreeSet::new));
    Set<String> names = new HashSet<>();
    Set<String> claimed = new HashSet<>();
    List<OpenAdrConfig.Ven> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigFile.Ven v = entries.get(i);
      String field = P + ".vens[" + i + "]";
      if (v.venName() == null || v.venName().isBlank() || v.venName().length() > 128) {
        problems.add(field + ".venName: required, 1 to 128 characters");
      } else if (!names.add(v.venName())) {
        problems.add(field + ".venName: '" + v.venName() + "' is used twice");
      }
      List<String> dcs = v.dataCenters() == null ? List.of() : v.dataCenters();
      if (dcs.isEmpty()) {
        problems.add(field + ".dataCenters: give at least one data centre");
      }
      for (int j = 0; j < dcs.size(); j++) {
        String dc = dcs.get(j);
        if (!known.contains(dc)) {
          problems.add(field + ".dataCenters[" + j + "]: unknown data centre '" + dc + "'; known: " + known);
        } else if (!claimed.add(dc)) {
          problems.add(field + ".dataCenters[" + j + "]: '" + dc + "' already belongs to another VEN");
        }
      }
      out.add(new OpenAdrConfig.Ven(v.venName() == null ? "" : v.venName(), dcs));
    }
    return out;
  }

  private static URI httpUri(String field, String text, boolean required, List<String> problems) {
    if (text == null || text.isBlank()) {
      if (required) {
        problems.add(field + ": required, e.g. https://vtn.example.org/openadr3/3.1.0");
      }
      return null;
    }
    try {
      URI u = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
        problems.add(field + ": '" + text + "' is not an http(s) URL");
        return null;
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      problems.add(field + ": '" + text + "' is not a URL");
      return null;
    }
  }
}
