package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Outcome;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders a {@link Board} as one self-contained HTML page: no external scripts, styles, fonts or
 * images, so it reads the same opened from disk or served. All data goes through {@link Html}.
 */
public final class BoardPage {
  private BoardPage() {}

  public static String render(Board board) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(Html.escape(BoardAssets.contentSecurityPolicy())).append("\">\n");
    html.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (board.refreshSeconds() > 0) {
      html.append("<meta http-equiv=\"refresh\" content=\"").append(board.refreshSeconds()).append("\">\n");
    }
    html.append("<title>Converge board — ").append(Html.escape(board.spec())).append("</title>\n");
    html.append("<style>").append(BoardAssets.STYLE).append("</style>\n</head>\n<body>\n");
    appendHeader(html, board);
    html.append(ChartsView.render(board)).append('\n');
    appendFilters(html, board);
    appendColumns(html, board);
    html.append("<script>").append(BoardAssets.SCRIPT).append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void appendHeader(StringBuilder html, Board board) {
    html.append("<header class=\"top\"><h1>Converge board — ").append(Html.escape(board.spec())).append("</h1>");
    html.append("<p class=\"meta\">").append(Html.escape(metaLine(board))).append("</p>");
    html.append("<ul class=\"states\">");
    for (BoardColumn column : BoardColumn.values()) {
      if (column.terminal() || !board.ended()) {
        long count =
            board.summary().map(s -> (long) s.states().getOrDefault(column.id(), 0)).orElse(board.count(column));
        html.append("<li class=\"col-").append(column.id()).append("\">").append(column.id()).append(' ')
            .append(count).append("</li>");
      }
    }
    html.append("</ul>");
    board.summary()
        .filter(summary -> summary.tiers() != null && !summary.tiers().isEmpty())
        .ifPresent(
            summary ->
                html.append("<p class=\"tiers\">cascade: ")
                    .append(Html.escape(
                        summary.tiers().stream()
                            .map(t -> "tier " + t.tier() + " reached " + t.reached() + ", merged " + t.merged())
                            .collect(java.util.stream.Collectors.joining(" · "))))
                    .append("</p>"));
    List<String> simulated =
        board.outcomes().stream()
            .flatMap(Outcome::allCandidates)
            .filter(c -> CardView.SIMULATED_KIND.equals(c.agentKind()))
            .map(c -> c.agentId())
            .distinct()
            .sorted()
            .toList();
    if (!simulated.isEmpty()) {
      html.append("<p class=\"notice\">Simulated agents took part in this job (")
          .append(Html.escape(String.join(", ", simulated)))
          .append("): their changes are synthetic, made for dry runs and tests.</p>");
    }
    html.append("</header>\n");
  }

  private static String metaLine(Board board) {
    return board
        .summary()
        .map(
            s ->
                String.format(
                    "ended on the %s runner · %s · %s · %d cache hits · %s wall time · tokens %s · cost %s",
                    s.runner(),
                    Format.plural(s.tasks(), "task"),
                    Format.plural(s.agentCalls(), "agent call"),
                    s.cacheHits(),
                    Format.seconds(s.wallSeconds()),
                    Format.tokens(s.tokens()),
                    Format.cost(s.costUsd())))
        .orElseGet(
            () ->
                String.format(
                    "running on the %s runner · %s · %s so far · this page reloads every %d s",
                    board.runner(),
                    Format.plural(board.cards().size(), "task"),
                    Format.seconds(board.elapsedSeconds()),
                    board.refreshSeconds()));
  }

  private static void appendFilters(StringBuilder html, Board board) {
    html.append("<div class=\"filters\" role=\"search\">");
    html.append("<input id=\"filter-text\" type=\"search\" autocomplete=\"off\" placeholder=\"Filter: task, agent, text…\"")
        .append(" aria-label=\"Filter tasks by text\">");
    html.append("<select id=\"filter-state\" aria-label=\"State\"><option value=\"\">all states</option>");
    Arrays.stream(BoardColumn.values())
        .forEach(c -> html.append("<option value=\"").append(c.id()).append("\">").append(c.title()).append("</option>"));
    html.append("</select>");
    html.append("<select id=\"filter-target\" aria-label=\"Repository\"><option value=\"\">all repositories</option>");
    board.targets()
        .forEach(t -> html.append("<option value=\"").append(Html.escape(t)).append("\">").append(Html.escape(t)).append("</option>"));
    html.append("</select>");
    html.append("<span id=\"filter-shown\" class=\"shown\">").append(board.cards().size()).append(" of ")
        .append(board.cards().size()).append(" tasks shown</span>");
    html.append("</div>\n");
  }

  /** Eight columns; inside each, the cards grouped by repository (headed when there are several). */
  private static void appendColumns(StringBuilder html, Board board) {
    boolean severalTargets = board.targets().size() > 1;
    html.append("<main class=\"board\">\n");
    for (BoardColumn column : BoardColumn.values()) {
      Map<String, List<BoardCard>> byTarget =
          board.cards().stream()
              .filter(c -> c.column() == column)
              .collect(Collectors.groupingBy(BoardCard::target, TreeMap::new, Collectors.toList()));
      html.append("<section class=\"column col-").append(column.id()).append(byTarget.isEmpty() ? " empty" : "")
          .append("\" data-column=\"").append(column.id())
          .append("\"><h2><span>").append(column.title()).append("</span><span class=\"count\">")
          .append(board.count(column)).append("</span></h2>");
      byTarget.forEach(
          (target, cards) -> {
            html.append("<div class=\"group\" data-target=\"").append(Html.escape(target)).append("\">");
            if (severalTargets) {
              html.append("<h3 class=\"group-title\">").append(Html.escape(target)).append("</h3>");
            }
            cards.forEach(card -> html.append(CardView.render(card)).append('\n'));
            html.append("</div>");
          });
      html.append("</section>\n");
    }
    html.append("</main>\n");
  }
}
