package dev.converge.transforms.report.board;

import java.util.List;

/**
 * The plan view of the board: {@code plan.html}, written by {@code converge plan} next to {@code
 * plan.json} for a human to review before approving it with {@code converge run --plan}. Same
 * style sheet and Content-Security-Policy as the board; every value goes through {@link Html}.
 */
public final class PlanPage {
  private PlanPage() {}

  /**
   * What the plan view shows.
   *
   * @param spec the spec's name
   * @param specFile the spec file
   * @param planHash the hash {@code converge run --plan} checks
   * @param agents the implementing agents ({@code id (kind)})
   * @param samples samples per agent and task
   * @param agentCalls the estimated agent calls
   * @param cost the estimated cost, in words
   * @param context the context documents with their hashes, in words
   * @param rules the constraints and drift thresholds, one per line
   * @param tasks the planned tasks
   */
  public record Sheet(
      String spec,
      String specFile,
      String planHash,
      List<String> agents,
      int samples,
      int agentCalls,
      String cost,
      List<String> context,
      List<String> rules,
      List<Row> tasks) {}

  /** One planned task. */
  public record Row(
      String id, String target, String instructions, List<String> files, String test, int agentCalls) {}

  public static String render(Sheet sheet) {
    StringBuilder html = new StringBuilder(16 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(Html.escape(BoardAssets.contentSecurityPolicy())).append("\">\n");
    html.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
    html.append("<title>Converge plan — ").append(Html.escape(sheet.spec())).append("</title>\n");
    html.append("<style>").append(BoardAssets.STYLE).append("</style>\n</head>\n<body>\n");
    html.append("<header class=\"top\"><h1>Converge plan — ").append(Html.escape(sheet.spec())).append("</h1>");
    html.append("<p class=\"meta\">")
        .append(Html.escape(
            Format.plural(sheet.tasks().size(), "task") + " × " + Format.plural(sheet.agents().size(), "agent")
                + " × " + sheet.samples() + " samples = " + Format.plural(sheet.agentCalls(), "agent call")
                + " at most · estimated cost " + sheet.cost()))
        .append("</p>");
    html.append("<p class=\"meta\">spec ").append(Html.escape(sheet.specFile()))
        .append(" · plan hash <code>").append(Html.escape(sheet.planHash())).append("</code></p>");
    html.append("<p class=\"notice\">Approve this plan by running <code>converge run ")
        .append(Html.escape(sheet.specFile())).append(" --plan plan.json</code>; a plan that no longer matches the spec,")
        .append(" its context documents or the targets' commits is refused.</p>");
    html.append("</header>\n<main class=\"plan\">\n");
    section(html, "Agents", sheet.agents());
    section(html, "Context documents (given to every agent)", sheet.context());
    section(html, "Constraints and drift thresholds (checked before any test)", sheet.rules());
    html.append("<section><h2>Tasks</h2><table class=\"plan-tasks\"><thead><tr>")
        .append("<th>task</th><th>target</th><th>instructions</th><th>files</th><th>test</th><th>calls</th>")
        .append("</tr></thead><tbody>");
    for (Row row : sheet.tasks()) {
      html.append("<tr data-task=\"").append(Html.escape(row.id())).append("\"><td><strong>")
          .append(Html.escape(row.id())).append("</strong></td><td>").append(Html.escape(row.target()))
          .append("</td><td>").append(Html.escape(row.instructions())).append("</td><td>")
          .append(Html.escape(String.join(", ", row.files()))).append("</td><td><code>")
          .append(Html.escape(row.test())).append("</code></td><td>").append(row.agentCalls()).append("</td></tr>");
    }
    html.append("</tbody></table></section>\n</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void section(StringBuilder html, String title, List<String> items) {
    html.append("<section><h2>").append(Html.escape(title)).append("</h2>");
    if (items.isEmpty()) {
      html.append("<p class=\"meta\">none</p>");
    } else {
      html.append("<ul>");
      items.forEach(item -> html.append("<li>").append(Html.escape(item)).append("</li>"));
      html.append("</ul>");
    }
    html.append("</section>\n");
  }
}
