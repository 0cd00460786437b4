package io.heliotrope.broker.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where a failure becomes what the user sees: a short message on stderr and an exit
 * code, never a stack trace (set {@code HELIOTROPE_DEBUG=1} to get one). Exit codes: 1 when the
 * broker refused or could not be reached, a file could not be read, or (job wait) the condition was
 * not met; 2 for a command line that does not parse.
 */
public final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** Installs both handlers on a command line and all its subcommands. */
  public static CommandLine install(CommandLine cl) {
    CliErrors h = new CliErrors();
    return cl.setExecutionExceptionHandler(h).setParameterExceptionHandler(h);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (System.getenv("HELIOTROPE_DEBUG") != null) {
      e.printStackTrace(err);
    }
    String server = cl.getCommand() instanceof Remote r ? r.client().server : null;
    Throwable t = unwrap(e);
    if (t instanceof StatusRuntimeException sre) {
      String unreachable = unreachable(sre, server);
      if (unreachable != null) {
        err.println("error: " + unreachable);
      } else {
        Printer.error(err, sre);
        if (sre.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
          err.println("  (pass --token or set HELIOTROPE_TOKEN)");
        }
      }
    } else {
      err.println("error: " + message(t));
    }
    err.flush();
    return FAILED;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof UncheckedIOException
        || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** "cannot reach host:port: connection refused; is `serve` running?", or null when the broker answered. */
  static String unreachable(StatusRuntimeException e, String server) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return null;
    }
    String where = server == null ? "the broker" : server;
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConnectException || String.valueOf(c.getMessage()).contains("Connection refused")) {
        return "cannot reach " + where + ": connection refused; is `serve` running?";
      }
      if (c instanceof UnknownHostException) {
        return "cannot reach " + where + ": unknown host";
      }
    }
    String d = e.getStatus().getDescription();
    return "cannot reach " + where + (d == null ? "" : ": " + d);
  }

  static String message(Throwable t) {
    if (t instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (t instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (t instanceof FileNotFoundException f) {
      String m = String.valueOf(f.getMessage());
      String missing = " (No such file or directory)";
      return m.endsWith(missing) ? "no such file: " + m.substring(0, m.length() - missing.length()) : "cannot open " + m;
    }
    if (t instanceof IOException io) {
      return "cannot read: " + io.getMessage();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
