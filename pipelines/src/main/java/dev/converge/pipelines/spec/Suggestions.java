package dev.converge.pipelines.spec;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" hints for misspelled keys, agent names and the like. */
final class Suggestions {
  private static final int MAX_TYPO_DISTANCE = 2;
  // Edit distance costs length x length; hostile specs can hold very long strings.
  private static final int MAX_COMPARED_LENGTH = 100;

  private Suggestions() {}

  /**
   * A parenthesized hint for an unknown {@code given}: {@code " (did you mean 'x'?)"} when one of
   * {@code known} is close, otherwise {@code " (<knownLabel>: a, b, c)"}.
   */
  static String hint(String given, Collection<String> known, String knownLabel) {
    return closest(given, known)
        .map(match -> " (did you mean '" + match + "'?)")
        .orElse(" (" + knownLabel + ": " + String.join(", ", known) + ")");
  }

  /**
   * The candidate that equals {@code given} ignoring case, or else the nearest one within a typo or
   * two.
   */
  static Optional<String> closest(String given, Collection<String> candidates) {
    Optional<String> sameIgnoringCase =
        candidates.stream().filter(candidate -> candidate.equalsIgnoreCase(given)).findFirst();
    if (sameIgnoringCase.isPresent()) {
      return sameIgnoringCase;
    }
    String best = null;
    int bestDistance = MAX_TYPO_DISTANCE + 1;
    for (String candidate : candidates) {
      if (Math.max(given.length(), candidate.length()) > MAX_COMPARED_LENGTH) {
        continue;
      }
      int distance = levenshtein(given, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
