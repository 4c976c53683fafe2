package dev.converge.transforms.report.board;

import java.util.List;

/** A horizontal bar chart as inline SVG: one labelled row per bar, scaled to the largest value. */
final class BarChart {
  static final int WIDTH = 420;
  private static final int LABEL_WIDTH = 150;
  private static final int VALUE_WIDTH = 64;
  private static final int ROW_HEIGHT = 24;
  private static final int LABEL_CHARS = 22;

  /** One bar; {@code cssClass} picks its colour in the style sheet. */
  record Bar(String label, double value, String valueText, String cssClass) {}

  private BarChart() {}

  static String render(String title, List<Bar> bars) {
    int height = Math.max(1, bars.size()) * ROW_HEIGHT + 8;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    double scale = max > 0 ? (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max : 0;
    StringBuilder svg = new StringBuilder(Svg.open(WIDTH, height, title));
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double y = 4 + i * ROW_HEIGHT;
      double width = bar.value() * scale;
      svg.append("<g><title>").append(Html.escape(bar.label() + ": " + bar.valueText())).append("</title>");
      svg.append(Svg.text(LABEL_WIDTH - 6, y + 16, "end", "label", shorten(bar.label())));
      svg.append(Svg.rect(LABEL_WIDTH, y + 4, Math.max(width, bar.value() > 0 ? 1 : 0), 16, "bar " + bar.cssClass()));
      svg.append(Svg.text(LABEL_WIDTH + width + 6, y + 16, "start", "value", bar.valueText()));
      svg.append("</g>");
    }
    return svg.append(Svg.close()).toString();
  }

  private static String shorten(String label) {
    return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "…";
  }
}
