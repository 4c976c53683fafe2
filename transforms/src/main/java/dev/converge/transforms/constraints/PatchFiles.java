package dev.converge.transforms.constraints;

import dev.converge.transforms.constraints.FileChange.AddedLine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the unified diffs Converge makes ({@code git diff --binary} with {@code a/} and {@code b/}
 * prefixes) into one {@link FileChange} per file. Hunk lengths are followed exactly, so content
 * lines that look like headers are never mistaken for them.
 */
public final class PatchFiles {
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

  private PatchFiles() {}

  public static List<FileChange> parse(String patch) {
    List<FileChange> files = new ArrayList<>();
    if (patch == null || patch.isEmpty()) {
      return files;
    }
    String[] lines = patch.split("\n", -1);
    Builder current = null;
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      if (line.startsWith("diff --git ")) {
        if (current != null) {
          files.add(current.build());
        }
        current = new Builder(line.substring("diff --git ".length()));
        i++;
        continue;
      }
      if (current == null) {
        i++;
        continue;
      }
      Matcher hunk = HUNK.matcher(line);
      if (hunk.matches()) {
        int oldCount = hunk.group(2) == null ? 1 : Integer.parseInt(hunk.group(2));
        int newLine = Integer.parseInt(hunk.group(3));
        int newCount = hunk.group(4) == null ? 1 : Integer.parseInt(hunk.group(4));
        i++;
        while (i < lines.length && (oldCount > 0 || newCount > 0)) {
          String body = lines[i];
          if (body.startsWith("+")) {
            current.added.add(new AddedLine(newLine++, body.substring(1)));
            newCount--;
          } else if (body.startsWith("-")) {
            current.removed++;
            oldCount--;
          } else if (body.startsWith("\\")) {
            // "\ No newline at end of file"
          } else {
            newLine++;
            oldCount--;
            newCount--;
          }
          i++;
        }
        continue;
      }
      current.header(line);
      i++;
    }
    if (current != null) {
      files.add(current.build());
    }
    return files;
  }

  /** Collects one file's header lines and hunks. */
  private static final class Builder {
    private final String gitLine;
    private String oldPath;
    private String newPath;
    private boolean created;
    private boolean deleted;
    private boolean binary;
    private final List<AddedLine> added = new ArrayList<>();
    private int removed;

    Builder(String gitLine) {
      this.gitLine = gitLine;
    }

    void header(String line) {
      if (line.startsWith("new file mode")) {
        created = true;
      } else if (line.startsWith("deleted file mode")) {
        deleted = true;
      } else if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
        oldPath = unquote(line.substring(line.indexOf("from ") + 5));
      } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
        newPath = unquote(line.substring(line.indexOf("to ") + 3));
      } else if (line.startsWith("--- ")) {
        String path = line.substring(4);
        if (!path.equals("/dev/null")) {
          oldPath = stripPrefix(unquote(path), "a/");
        }
      } else if (line.startsWith("+++ ")) {
        String path = line.substring(4);
        if (!path.equals("/dev/null")) {
          newPath = stripPrefix(unquote(path), "b/");
        }
      } else if (line.startsWith("GIT binary patch") || line.startsWith("Binary files ")) {
        binary = true;
      }
    }

    FileChange build() {
      String[] fromHeader = headerPaths(gitLine);
      String oldP = oldPath != null ? oldPath : fromHeader[0];
      String newP = newPath != null ? newPath : fromHeader[1];
      if (created) {
        oldP = newP;
      }
      if (deleted) {
        newP = oldP;
      }
      return new FileChange(newP, oldP, created, deleted, binary, added, removed);
    }
  }

  /** The a/ and b/ paths of a {@code diff --git a/X b/Y} line. */
  private static String[] headerPaths(String rest) {
    if (rest.startsWith("\"")) {
      int end = closingQuote(rest, 1);
      String a = stripPrefix(unquote(rest.substring(0, end + 1)), "a/");
      String b = stripPrefix(unquote(rest.substring(end + 1).strip()), "b/");
      return new String[] {a, b};
    }
    // Unquoted: "a/X b/Y" with X == Y for everything but renames (which have rename lines).
    int split = rest.lastIndexOf(" b/");
    if (split < 0) {
      return new String[] {rest, rest};
    }
    return new String[] {stripPrefix(rest.substring(0, split), "a/"), rest.substring(split + 3)};
  }

  private static int closingQuote(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == '"') {
        return i;
      }
    }
    return text.length() - 1;
  }

  private static String stripPrefix(String path, String prefix) {
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }

  /** Undoes git's C-style quoting of unusual paths ({@code "a/t\303\251st"}). */
  static String unquote(String path) {
    String p = path.strip();
    int tab = p.indexOf('\t');
    if (tab >= 0 && !p.startsWith("\"")) {
      p = p.substring(0, tab);
    }
    if (!(p.length() >= 2 && p.startsWith("\"") && p.endsWith("\""))) {
      return p;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 1; i < p.length() - 1; i++) {
      char c = p.charAt(i);
      if (c != '\\' || i + 1 >= p.length() - 1) {
        byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        continue;
      }
      char next = p.charAt(++i);
      if (next >= '0' && next <= '7' && i + 2 < p.length()) {
        bytes.write(Integer.parseInt(p.substring(i, i + 3), 8));
        i += 2;
      } else {
        bytes.write(
            switch (next) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'a' -> 7;
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'r' -> '\r';
              case 'v' -> 11;
              default -> next;
            });
      }
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
