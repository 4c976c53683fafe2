package dev.converge.transforms.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Reads and writes whole output files through Beam's {@link FileSystems}, so the same code serves
 * local folders and object stores. Writes go to a temporary name first and are then renamed, so a
 * retried bundle replaces a file instead of leaving a torn or duplicated one.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /** Joins an output folder and a relative path with exactly one slash. */
  public static String resolve(String dir, String relative) {
    return dir.endsWith("/") ? dir + relative : dir + "/" + relative;
  }

  public static void write(String path, String content) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temp =
        target.getCurrentDirectory()
            .resolve(
                "." + target.getFilename() + "." + UUID.randomUUID() + ".tmp",
                StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(
        List.of(temp), List.of(target), StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public static String read(String path) throws IOException {
    ResourceId resource = FileSystems.matchSingleFileSpec(path).resourceId();
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
