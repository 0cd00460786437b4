package io.heliotrope.broker.app;

import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker that ran out of memory (or stack, or hit a JVM-internal error) on any thread is not
 * trusted to go on: a half-dead process with its port open makes every call time out, and its
 * orchestrator sees nothing wrong. The first such error flips health to NOT_SERVING and halts the
 * process with {@link #EXIT_CODE}, so it is restarted. {@code -XX:+ExitOnOutOfMemoryError}
 * (set where the broker is launched: docker/broker.Dockerfile, k8s/broker/deployment.yaml)
 * covers an OutOfMemoryError that code catches and swallows; this covers everything that escapes.
 */
final class FatalErrors {
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);
  /** EX_SOFTWARE of sysexits.h: an internal error. */
  static final int EXIT_CODE = 70;

  private FatalErrors() {}

  /** Handles what escapes any thread: fatal errors end the process, anything else is logged. */
  static Thread.UncaughtExceptionHandler handler(Runnable notServing, IntConsumer halt) {
    return (thread, e) -> {
      if (e instanceof VirtualMachineError) {
        try {
          notServing.run();
          // No stack trace: formatting one may need the memory that just ran out.
          System.err.println("heliotrope: fatal " + e.getClass().getSimpleName() + " on thread " + thread.getName()
              + "; exiting with " + EXIT_CODE + " so that the broker is restarted");
        } finally {
          halt.accept(EXIT_CODE);
        }
      } else {
        log.error("uncaught exception on thread {}", thread.getName(), e);
      }
    };
  }

  /** Whether the JVM was started with -XX:+ExitOnOutOfMemoryError (the launch docs ask for it). */
  static boolean jvmExitsOnOom() {
    try {
      var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class);
      return bean != null && Boolean.parseBoolean(bean.getVMOption("ExitOnOutOfMemoryError").getValue());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
