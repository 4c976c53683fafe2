package dev.converge.transforms.reduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of the base version of each file that a unified diff changes, in base coordinates.
 *
 * <p>All accepted patches of one repository are diffs against the same base commit, so their
 * regions can be compared directly: two changes conflict in a 3-way merge when their regions
 * overlap or touch (the rule of JGit's {@code MergeAlgorithm} and of git). Converge uses this to
 * name the task and the hunk a conflicting task collides with; whether there is a conflict at all
 * is decided by the real merge.
 */
final class ChangedRegions {
  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\d+(?:,\\d+)? @@.*");

  /**
   * Base lines {@code [start, end)} (1-based) that a change replaces; {@code start == end} is a pure
   * insertion before line {@code start}. A binary or mode-only change of a file covers all of it.
   */
  record Region(int start, int end, String hunk) {
    static final int WHOLE_FILE_END = Integer.MAX_VALUE;

    /** Whether a 3-way merge of the two changes has to stop: they overlap or touch. */
    boolean touches(Region other) {
      return start <= other.end && other.start <= end;
    }

    String describe() {
      if (end == WHOLE_FILE_END) {
        return "the whole file";
      }
      if (start == end) {
        return "an insertion before line " + start;
      }
      return end - start == 1 ? "line " + start : "lines " + start + "-" + (end - 1);
    }
  }

  private ChangedRegions() {}

  /** The changed regions of every file {@code patch} touches, by path (its new path). */
  static Map<String, List<Region>> of(String patch) {
    Map<String, List<Region>> regions = new LinkedHashMap<>();
    String path = null;
    String hunk = null;
    int baseLine = 0;
    int openStart = -1;
    int openEnd = -1;
    for (String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        if (path != null && openStart >= 0) {
          regions.get(path).add(new Region(openStart, openEnd, hunk));
        }
        openStart = -1;
        hunk = null;
        int bPath = line.lastIndexOf(" b/");
        path = bPath > 0 ? line.substring(bPath + 3) : line.substring("diff --git ".length());
        regions.put(path, new ArrayList<>());
        continue;
      }
      if (path == null) {
        continue;
      }
      Matcher header = HUNK.matcher(line);
      if (header.matches()) {
        if (openStart >= 0) {
          regions.get(path).add(new Region(openStart, openEnd, hunk));
          openStart = -1;
        }
        int start = Integer.parseInt(header.group(1));
        int count = header.group(2) == null ? 1 : Integer.parseInt(header.group(2));
        // With a count of 0 the start names the line before the insertion.
        baseLine = count == 0 ? start + 1 : start;
        hunk = line.substring(0, line.indexOf(" @@") + 3);
        continue;
      }
      if (hunk == null) {
        if (line.startsWith("GIT binary patch") || line.startsWith("Binary files ")) {
          regions.get(path).add(new Region(1, Region.WHOLE_FILE_END, "binary"));
        }
        continue;
      }
      if (line.startsWith("-")) {
        if (openStart < 0) {
          openStart = baseLine;
        }
        openEnd = baseLine + 1;
        baseLine++;
      } else if (line.startsWith("+")) {
        if (openStart < 0) {
          openStart = baseLine;
          openEnd = baseLine;
        }
      } else if (line.startsWith(" ") || line.isEmpty()) {
        if (openStart >= 0) {
          regions.get(path).add(new Region(openStart, openEnd, hunk));
          openStart = -1;
        }
        baseLine++;
      }
      // "\ No newline at end of file" changes nothing in base coordinates.
    }
    if (path != null && openStart >= 0) {
      regions.get(path).add(new Region(openStart, openEnd, hunk));
    }
    regions.replaceAll((file, list) -> list.isEmpty() ? List.of(new Region(1, Region.WHOLE_FILE_END, "mode")) : List.copyOf(list));
    return regions;
  }

  /** A pair of regions of one file that touch: the first from {@code mine}, the second from {@code theirs}. */
  record Overlap(Region mine, Region theirs) {}

  static Optional<Overlap> firstOverlap(List<Region> mine, List<Region> theirs) {
    for (Region a : mine) {
      for (Region b : theirs) {
        if (a.touches(b)) {
          return Optional.of(new Overlap(a, b));
        }
      }
    }
    return Optional.empty();
  }
}
