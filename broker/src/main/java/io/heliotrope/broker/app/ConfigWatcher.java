package io.heliotrope.broker.app;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.ConfigException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads {@code serve}'s config file when it changes (any event in its directory, so a
 * Kubernetes ConfigMap's symlink swap counts; applied when the file's bytes differ) and on SIGHUP
 * (always: it also re-reads tokenFile and the other files the config points to). A file that
 * does not load is refused as a whole and the running configuration stays; what loads goes to
 * {@link Broker#reload}, which applies the safe keys and names those that need a restart.
 */
final class ConfigWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
  static final long SETTLE_MILLIS = 300;

  /** Loads the file as {@code serve} did at start (same flags and environment). */
  interface Loader {
    BrokerConfig load() throws ConfigException;
  }

  private final Path file;
  private final Loader loader;
  private final Function<BrokerConfig, ConfigReload> apply;
  private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "config-reload");
    t.setDaemon(true);
    return t;
  });
  private final WatchService watch;
  private byte[] loaded;
  private ScheduledFuture<?> pending;

  ConfigWatcher(Path file, Loader loader, Function<BrokerConfig, ConfigReload> apply) throws IOException {
    this.file = file.toAbsolutePath();
    this.loader = loader;
    this.apply = apply;
    this.loaded = digest();
    this.watch = this.file.getFileSystem().newWatchService();
  }

  ConfigWatcher start() throws IOException {
    this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    Thread t = new Thread(this::watchLoop, "config-watch");
    t.setDaemon(true);
    t.start();
    // sun.misc.Signal is the JDK's only way to handle SIGHUP (jdk.unsupported); without this the
    // JVM treats SIGHUP as a request to exit.
    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reloads.execute(() -> reload("SIGHUP")));
    return this;
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean ours = false;
        for (var event : key.pollEvents()) {
          // The file itself, or a ConfigMap volume's "..data" link and timestamped directories.
          String name = String.valueOf(event.context());
          ours |= name.equals(file.getFileName().toString()) || name.startsWith("..")
              || event.kind() == StandardWatchEventKinds.OVERFLOW;
        }
        key.reset();
        if (ours) {
          schedule();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /** Editors and ConfigMap updates write in several steps: read the file once they have settled. */
  private synchronized void schedule() {
    if (pending != null && !pending.isDone()) {
      return; // the pending check reads the file after this change too
    }
    pending = reloads.schedule(() -> {
      if (!Arrays.equals(loaded, digest())) {
        reload("a change of " + file);
      }
    }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void reload(String why) {
    loaded = digest();
    BrokerConfig next;
    try {
      next = loader.load();
    } catch (ConfigException e) {
      log.warn("config reload ({}) refused, the running configuration stays: {}", why, String.join("; ", e.problems()));
      return;
    }
    try {
      ConfigReload r = apply.apply(next);
      log.info("config reloaded ({}): applied {}; needs a restart to take effect: {}", why,
          r.applied().isEmpty() ? "nothing" : r.applied(), r.needRestart().isEmpty() ? "nothing" : r.needRestart());
    } catch (RuntimeException e) {
      log.warn("config reload ({}) failed, the running configuration stays: {}", why, e.toString());
    }
  }

  private byte[] digest() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return new byte[0];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    watch.close();
    reloads.shutdownNow();
  }
}
