package dev.converge.transforms.constraints;

import java.util.List;

/**
 * What a unified diff does to one file.
 *
 * @param path the file's path after the change (its old path when it is deleted)
 * @param oldPath the file's path before the change (its new path when it is created)
 * @param created whether the file is new
 * @param deleted whether the file is removed
 * @param binary whether the change is to binary content (no lines are known then)
 * @param addedLines the added lines with their line numbers in the new file
 * @param removedLines how many lines were removed
 */
public record FileChange(
    String path,
    String oldPath,
    boolean created,
    boolean deleted,
    boolean binary,
    List<AddedLine> addedLines,
    int removedLines) {

  public FileChange {
    addedLines = List.copyOf(addedLines);
  }

  /** One added line: its number in the new file (1-based) and its text without the {@code +}. */
  public record AddedLine(int number, String text) {}

  /** Added plus removed lines. */
  public int changedLines() {
    return addedLines.size() + removedLines;
  }

  /** Whether the file was renamed (or copied) from another path. */
  public boolean renamed() {
    return !created && !deleted && !oldPath.equals(path);
  }

  /** The paths the change touches: the path, and the old path of a rename. */
  public List<String> touchedPaths() {
    return renamed() ? List.of(oldPath, path) : List.of(path);
  }
}
