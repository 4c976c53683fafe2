package dev.converge.transforms.report.board;

import java.util.Locale;

/** How the board writes numbers; returns plain text, which callers still escape. */
final class Format {
  /** Shown where a value is not recorded (for example tokens and cost of command agents). */
  static final String NOT_RECORDED = "—";

  private Format() {}

  static String duration(long millis) {
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = Math.round(millis / 1000.0);
    return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
  }

  static String seconds(double seconds) {
    return duration(Math.round(seconds * 1000));
  }

  /** Token count, or {@link #NOT_RECORDED} when none were counted. */
  static String tokens(long tokens) {
    return tokens > 0 ? String.format(Locale.ROOT, "%,d", tokens) : NOT_RECORDED;
  }

  /** Cost in USD, or {@link #NOT_RECORDED} when none was priced. */
  static String cost(double usd) {
    return usd > 0 ? String.format(Locale.ROOT, "$%.4f", usd) : NOT_RECORDED;
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
