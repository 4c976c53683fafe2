package dev.converge.transforms.agent;

import dev.converge.transforms.model.ContextDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command agent receives the job's context documents: as files in a folder beside its
 * checkout (never inside it, so they are never part of the candidate's diff), and as text after the
 * instructions on standard input.
 */
public final class ContextFiles {
  /** The line that separates the instructions from the documents on standard input. */
  public static final String STDIN_HEADER =
      "The spec documents of this job follow; they are also files in $CONVERGE_CONTEXT_DIR.";

  private ContextFiles() {}

  /** Writes the documents into a new folder beside {@code worktree}; returns the folder. */
  static Path write(List<ContextDocument> documents, Path worktree) throws IOException {
    Path dir = worktree.resolveSibling(worktree.getFileName() + ".context");
    Files.createDirectories(dir);
    for (int i = 0; i < documents.size(); i++) {
      Path file = fileOf(documents.get(i), i, dir);
      Files.createDirectories(file.getParent());
      Files.writeString(file, documents.get(i).text(), StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** The absolute paths of the documents in {@code dir}, in order. */
  static List<String> paths(List<ContextDocument> documents, Path dir) {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      paths.add(fileOf(documents.get(i), i, dir).toString());
    }
    return paths;
  }

  /**
   * Standard input of an agent with context: the instructions, a blank line, {@link
   * #STDIN_HEADER}, then each document as {@code ===== name =====} followed by its text.
   */
  public static String stdin(String instructions, List<ContextDocument> documents) {
    StringBuilder in = new StringBuilder(instructions.strip()).append("\n\n").append(STDIN_HEADER).append('\n');
    for (ContextDocument document : documents) {
      in.append("\n===== ").append(document.name()).append(" =====\n").append(document.text());
      if (!document.text().endsWith("\n")) {
        in.append('\n');
      }
    }
    return in.toString();
  }

  /** The document's file: its name, kept inside {@code dir} (else its position and file name). */
  private static Path fileOf(ContextDocument document, int index, Path dir) {
    String name = document.name().isBlank() ? "context-" + index + ".md" : document.name();
    try {
      Path file = dir.resolve(name).normalize();
      if (file.startsWith(dir) && !file.equals(dir)) {
        return file;
      }
    } catch (java.nio.file.InvalidPathException e) {
      // fall through
    }
    String base = name.replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return dir.resolve(index + "-" + (base.isEmpty() ? "context.md" : base));
  }
}
