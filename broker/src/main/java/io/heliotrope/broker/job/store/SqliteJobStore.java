package io.heliotrope.broker.job.store;

import io.heliotrope.broker.job.StorageFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * The embedded default store: one SQLite file in the data directory. WAL journal with
 * {@code synchronous=FULL}, so a committed transaction survives a process kill and a power loss.
 *
 * <p>SQLite writes on through the file descriptors it holds when the database or its WAL is
 * deleted or replaced under it, and answers every commit OK into a file nobody will ever open
 * again. So the store remembers the identity (device and inode) of both files and the largest size
 * of the database seen, checks them after each commit (before the commit is acknowledged) and in
 * {@link #verify()}, and fails the storage when they changed.
 */
public final class SqliteJobStore extends JdbcJobStore {
  /** SQLite primary result codes that mean the storage failed, not the statement. */
  private static final Set<Integer> STORAGE_CODES = Set.of(
      8, // SQLITE_READONLY
      10, // SQLITE_IOERR
      11, // SQLITE_CORRUPT
      13, // SQLITE_FULL
      14, // SQLITE_CANTOPEN
      26); // SQLITE_NOTADB

  private final Path file;
  private final Path wal;
  private final Object fileKey;
  private Object walKey;
  private long largestSize;

  private SqliteJobStore(Connection connection, Connection reader, String description, Path file) {
    super(connection, reader, description);
    this.file = file;
    this.wal = file.resolveSibling(file.getFileName() + "-wal");
    this.fileKey = attributes(file).fileKey();
    this.largestSize = attributes(file).size();
  }

  public static SqliteJobStore open(Path file) {
    Path absolute = file.toAbsolutePath();
    try {
      return new SqliteJobStore(connect(absolute), connect(absolute), "sqlite:" + absolute, absolute);
    } catch (SQLException | java.io.IOException e) {
      Path parent = absolute.getParent();
      if (parent != null && Files.isDirectory(parent) && !Files.isWritable(parent)) {
        throw new StoreException("cannot open SQLite store at " + absolute + ": its folder is read-only", e);
      }
      throw new StoreException("cannot open SQLite store at " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * A connection to the broker's SQLite file, creating its folder: WAL, so the job store and the
   * signal store can each hold a connection; synchronous=FULL, so a commit survives a kill or a
   * power loss; busy_timeout, so one writer waits for the other instead of failing.
   */
  public static Connection connect(Path file) throws SQLException, java.io.IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=FULL");
      st.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }

  @Override
  protected boolean storageFailed(SQLException e) {
    return STORAGE_CODES.contains(e.getErrorCode() & 0xff);
  }

  @Override
  public void verify() {
    BasicFileAttributes db = attributes(file);
    if (!db.fileKey().equals(fileKey)) {
      throw failed("the database file " + file + " was replaced while the broker ran");
    }
    if (db.size() < largestSize) {
      throw failed("the database file " + file + " was truncated while the broker ran (" + db.size()
          + " bytes, was " + largestSize + ")");
    }
    largestSize = db.size();
    BasicFileAttributes w;
    try {
      w = Files.readAttributes(wal, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // Before the first write there is no WAL; once there was one, this connection keeps it.
      if (walKey != null) {
        throw failed("the database's write-ahead log " + wal + " was deleted while the broker ran");
      }
      return;
    }
    if (walKey == null) {
      walKey = w.fileKey();
    } else if (!w.fileKey().equals(walKey)) {
      throw failed("the database's write-ahead log " + wal + " was replaced while the broker ran");
    }
  }

  private BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw failed("the database file " + path + " was deleted while the broker ran");
    } catch (IOException e) {
      throw failed("cannot read the attributes of " + path + ": " + e.getMessage());
    }
  }

  private StorageFailedException failed(String why) {
    return new StorageFailedException(why + "; what was committed since is not durable, so nothing more is "
        + "acknowledged", null);
  }
}
