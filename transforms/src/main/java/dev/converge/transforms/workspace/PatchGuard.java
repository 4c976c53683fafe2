package dev.converge.transforms.workspace;

import dev.converge.transforms.constraints.FileChange;
import dev.converge.transforms.constraints.PatchFiles;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Changes no candidate may make, whatever the spec allows: they could reach outside the checkout
 * they are applied to, or change how git itself behaves there. A patch is refused when it touches
 * a path inside {@code .git} or {@code .gitmodules}, adds a submodule (gitlink) entry, adds a
 * symbolic link that points outside the repository or into {@code .git}, names a path with control
 * characters or {@code ..}, or changes binary content (which no constraint or reviewer can read).
 *
 * <p>Checked where candidates are made ({@code AgentRuntime}) and again by the test gate ({@link
 * TestCandidates}) before a patch is applied, so a candidate from an old cache or a cassette is
 * held to the same rules.
 */
public final class PatchGuard {
  private static final String SYMLINK_MODE = "120000";
  private static final String GITLINK_MODE = "160000";

  private PatchGuard() {}

  /** Why {@code patch} must not be applied, or empty when it may. */
  public static Optional<String> refusal(String patch) {
    for (String section : fileSections(patch)) {
      List<FileChange> parsed = PatchFiles.parse(section);
      if (parsed.isEmpty()) {
        continue;
      }
      FileChange file = parsed.get(0);
      Optional<String> refused = refusePaths(file).or(() -> refuseContent(section, file));
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refusePaths(FileChange file) {
    for (String path : List.of(file.oldPath(), file.path())) {
      if (hasControlCharacters(path)) {
        return Optional.of("has a file name with control characters: " + printable(path));
      }
      if (path.startsWith("/") || components(path).contains("..")) {
        return Optional.of("names a path outside the repository: " + printable(path));
      }
      if (components(path).stream().anyMatch(PatchGuard::isGitFolder)) {
        return Optional.of("changes " + printable(path) + " inside .git");
      }
      if (components(path).stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(".gitmodules"))) {
        return Optional.of("changes " + printable(path) + " (submodules are not accepted)");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refuseContent(String section, FileChange file) {
    List<String> modes = newModes(section);
    if (modes.contains(GITLINK_MODE)) {
      return Optional.of("adds a submodule (gitlink) at " + printable(file.path()));
    }
    if (file.binary() && !file.deleted()) {
      return Optional.of("changes binary content in " + printable(file.path()) + " (binary files are not accepted)");
    }
    if (modes.contains(SYMLINK_MODE) && !file.deleted()) {
      String target = file.addedLines().isEmpty() ? "" : file.addedLines().get(0).text();
      if (linkEscapes(file.path(), target)) {
        return Optional.of(
            "adds a symbolic link " + printable(file.path()) + " that points outside the repository or into .git ("
                + printable(target) + ")");
      }
    }
    return Optional.empty();
  }

  /** The modes a section gives its file after the change. */
  private static List<String> newModes(String section) {
    List<String> modes = new ArrayList<>();
    for (String line : section.split("\n", -1)) {
      if (line.startsWith("@@") || line.startsWith("GIT binary patch")) {
        break;
      }
      if (line.startsWith("new file mode ") || line.startsWith("new mode ")) {
        modes.add(line.substring(line.lastIndexOf(' ') + 1).strip());
      } else if (line.startsWith("index ") && line.split(" ").length == 3) {
        modes.add(line.split(" ")[2].strip());
      }
    }
    return modes;
  }

  /** Whether a link at {@code linkPath} to {@code target} leaves the repository or enters .git. */
  static boolean linkEscapes(String linkPath, String target) {
    if (target.isEmpty() || target.startsWith("/") || hasControlCharacters(target)) {
      return true;
    }
    try {
      Path parent = Path.of(linkPath).getParent();
      Path resolved = (parent == null ? Path.of(target) : parent.resolve(target)).normalize();
      return resolved.startsWith("..")
          || components(resolved.toString()).stream().anyMatch(PatchGuard::isGitFolder);
    } catch (InvalidPathException e) {
      return true;
    }
  }

  private static List<String> fileSections(String patch) {
    List<String> sections = new ArrayList<>();
    if (patch == null) {
      return sections;
    }
    StringBuilder current = null;
    for (String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        if (current != null) {
          sections.add(current.toString());
        }
        current = new StringBuilder();
      }
      if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.add(current.toString());
    }
    return sections;
  }

  private static List<String> components(String path) {
    return List.of(path.split("/"));
  }

  /** {@code .git}, also as the case-insensitive file systems and NTFS's trailing dots see it. */
  private static boolean isGitFolder(String component) {
    String c = component.toLowerCase(Locale.ROOT).replaceAll("[. ]+$", "");
    return c.equals(".git") || c.equals("git~1");
  }

  private static boolean hasControlCharacters(String text) {
    return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c)));
    return out.length() > 200 ? out.substring(0, 200) + "..." : out.toString();
  }
}
