package dev.converge.transforms.report.board;

import java.util.Locale;

/**
 * Small helpers for writing inline SVG. Shapes are styled by class (the page's hashed style sheet),
 * never by {@code style} attributes, which the board's Content-Security-Policy would block.
 */
final class Svg {
  private Svg() {}

  static String open(int width, int height, String title) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\""
        + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\">"
        + "<title>" + Html.escape(title) + "</title>";
  }

  static String close() {
    return "</svg>";
  }

  static String rect(double x, double y, double width, double height, String cssClass) {
    return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(width) + "\" height=\""
        + num(height) + "\" class=\"" + Html.escape(cssClass) + "\"/>";
  }

  static String text(double x, double y, String anchor, String cssClass, String content) {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" class=\""
        + Html.escape(cssClass) + "\">" + Html.escape(content) + "</text>";
  }

  static String line(double x1, double y1, double x2, double y2, String cssClass) {
    return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\""
        + num(y2) + "\" class=\"" + Html.escape(cssClass) + "\"/>";
  }

  static String path(String d, String cssClass) {
    return "<path d=\"" + d + "\" class=\"" + Html.escape(cssClass) + "\"/>";
  }

  /** A coordinate with at most one decimal, always with a dot. */
  static String num(double value) {
    String text = String.format(Locale.ROOT, "%.1f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }
}
