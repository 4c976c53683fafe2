package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How alike two finding messages are, from 0 (nothing in common) to 1 (the same). Used to tell
 * apart two different findings of one rule at overlapping lines. Implementations must be
 * symmetric and deterministic.
 */
@FunctionalInterface
public interface TextSimilarity extends Serializable {

  double similarity(String a, String b);

  /** The names {@link #named} knows. */
  String WORDS = "words";
  String TRIGRAMS = "trigrams";
  String NONE = "none";

  /** A similarity by name: {@code words}, {@code trigrams} or {@code none}. */
  static TextSimilarity named(String name) {
    return switch (name) {
      case WORDS -> words();
      case TRIGRAMS -> trigrams();
      case NONE -> none();
      default -> throw new IllegalArgumentException("unknown text similarity '" + name + "'");
    };
  }

  /**
   * Jaccard similarity of the sets of words (letters and digits, lower case, without a few very
   * common English words). Robust to word order and rephrasing that keeps the key words.
   */
  static TextSimilarity words() {
    return (a, b) -> Similarities.jaccard(Similarities.words(a), Similarities.words(b));
  }

  /** Jaccard similarity of the sets of character trigrams; robust to spelling and inflection. */
  static TextSimilarity trigrams() {
    return (a, b) -> Similarities.jaccard(Similarities.trigrams(a), Similarities.trigrams(b));
  }

  /** Every two messages are alike: findings cluster by rule and location only. */
  static TextSimilarity none() {
    return (a, b) -> 1.0;
  }

  /** Helpers of the built-in similarities. */
  final class Similarities {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS =
        Set.of(
            "a", "an", "the", "is", "are", "be", "of", "to", "in", "on", "at", "for", "and", "or",
            "by", "with", "this", "that", "it", "as", "from", "here", "there", "was", "has", "have");

    private Similarities() {}

    static Set<String> words(String text) {
      Set<String> words = new HashSet<>();
      Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
      while (matcher.find()) {
        if (!STOP_WORDS.contains(matcher.group())) {
          words.add(matcher.group());
        }
      }
      return words;
    }

    static Set<String> trigrams(String text) {
      Set<String> grams = new HashSet<>();
      for (String word : words(text)) {
        String padded = " " + word + " ";
        for (int i = 0; i + 3 <= padded.length(); i++) {
          grams.add(padded.substring(i, i + 3));
        }
      }
      return grams;
    }

    static double jaccard(Set<String> a, Set<String> b) {
      if (a.isEmpty() && b.isEmpty()) {
        return 1.0;
      }
      Set<String> union = new HashSet<>(a);
      union.addAll(b);
      Set<String> common = new HashSet<>(a);
      common.retainAll(b);
      return (double) common.size() / union.size();
    }
  }
}
