package dev.converge.transforms.review;

import dev.converge.transforms.report.board.Html;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The findings view of a review job's {@code board.html}: one self-contained page (no script, no
 * external resource, a strict Content-Security-Policy) with the reported findings by severity, then
 * for audit the clusters that were filtered out (no quorum, refuted, failed verification), the
 * fixed ones and the failed reviewer calls. Every piece of agent or file text is escaped.
 */
public final class ReviewBoardPage {
  static final String STYLE =
      "body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}"
          + "header{background:#1d2330;color:#fff;padding:16px 24px}h1{margin:0 0 4px;font-size:20px}"
          + ".meta{margin:0;color:#c9cfdb}main{padding:16px 24px}h2{font-size:16px;margin:24px 0 8px}"
          + ".counts{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0 0;padding:0;list-style:none}"
          + ".counts li{background:#2f3747;border-radius:4px;padding:2px 8px}"
          + "table{border-collapse:collapse;width:100%;background:#fff}"
          + "th,td{border-bottom:1px solid #e3e6eb;padding:6px 8px;text-align:left;vertical-align:top}"
          + "th{background:#eef0f4;font-weight:600}"
          + ".sev{font-weight:600;border-radius:4px;padding:1px 6px;color:#fff;white-space:nowrap}"
          + ".sev-critical{background:#7a0019}.sev-high{background:#c62828}"
          + ".sev-medium{background:#ef6c00}.sev-low{background:#607d8b}"
          + ".state{white-space:nowrap}.new{color:#c62828;font-weight:600}"
          + "pre{margin:4px 0 0;background:#f1f3f6;padding:4px 6px;white-space:pre-wrap;font-size:12px}"
          + "details{margin:8px 0}summary{cursor:pointer;font-weight:600}"
          + ".why{color:#4a5468;font-size:13px;white-space:normal;max-width:32em}";

  private ReviewBoardPage() {}

  public static String render(ReviewOutputs.Finished finished) {
    ReviewSummary s = finished.summary();
    StringBuilder html = new StringBuilder(32 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '")
        .append(sha256(STYLE))
        .append("'; base-uri 'none'; form-action 'none'\">\n");
    html.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
    html.append("<title>Converge review — ").append(Html.escape(s.spec())).append("</title>\n");
    html.append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    html.append("<header><h1>Converge review — ").append(Html.escape(s.spec())).append("</h1>");
    html.append("<p class=\"meta\">")
        .append(Html.escape(String.format(
            "ended on the %s runner · %d files in scope (%d reviewed, %d unchanged, %d deleted, %d skipped) · "
                + "%d reviewer calls (%d failed) · %d verifier calls (%d failed) · %.1f s",
            s.runner(), s.files(), s.filesReviewed(), s.filesUnchanged(), s.filesDeleted(), s.filesSkipped(),
            s.reviewerCalls(), s.failedReviewerCalls(), s.verifierCalls(), s.failedVerifications(), s.wallSeconds())))
        .append("</p><ul class=\"counts\">");
    html.append("<li>").append(s.findings()).append(" reported</li>");
    html.append("<li>").append(s.newFindings()).append(" new</li>");
    for (Map.Entry<String, Integer> state : s.states().entrySet()) {
      html.append("<li>").append(Html.escape(state.getKey())).append(' ').append(state.getValue()).append("</li>");
    }
    html.append("</ul></header>\n<main>\n");

    List<FindingCluster> reported =
        finished.clusters().stream()
            .filter(FindingCluster::reported)
            .sorted(Comparator.comparing(FindingCluster::severity).thenComparing(ReviewOutputs.ORDER))
            .toList();
    html.append("<h2 id=\"findings\">Findings (").append(reported.size()).append(")</h2>\n");
    table(html, reported, true);

    List<FindingCluster> filtered =
        finished.clusters().stream()
            .filter(c -> !c.reported() && c.state() != ClusterState.FIXED)
            .toList();
    html.append("<details id=\"filtered\"><summary>Filtered out for audit (").append(filtered.size())
        .append("): no quorum, refuted, failed verification</summary>\n");
    table(html, filtered, false);
    html.append("</details>\n");

    List<FindingCluster> fixed =
        finished.clusters().stream().filter(c -> c.state() == ClusterState.FIXED).toList();
    html.append("<details id=\"fixed\"><summary>Fixed since the previous run (").append(fixed.size())
        .append(")</summary>\n");
    table(html, fixed, false);
    html.append("</details>\n");

    List<ReviewCall> failedCalls = finished.calls().stream().filter(c -> !ReviewCall.OK.equals(c.status())).toList();
    html.append("<details id=\"calls\"><summary>Failed reviewer calls and skipped files (")
        .append(failedCalls.size()).append(")</summary>\n<table><tr><th>file</th><th>lines</th><th>reviewer</th>"
            + "<th>status</th><th>reason</th></tr>\n");
    for (ReviewCall call : failedCalls) {
      html.append("<tr><td>").append(Html.escape(call.fileKey())).append("</td><td>")
          .append(call.chunkStart()).append('-').append(call.chunkEnd()).append("</td><td>")
          .append(Html.escape(call.reviewer().isEmpty() ? "" : call.reviewer() + "#" + call.sample()))
          .append("</td><td>").append(Html.escape(call.status())).append("</td><td>")
          .append(Html.escape(call.reason())).append("</td></tr>\n");
    }
    html.append("</table></details>\n</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void table(StringBuilder html, List<FindingCluster> clusters, boolean reported) {
    if (clusters.isEmpty()) {
      html.append("<p class=\"why\">None.</p>\n");
      return;
    }
    html.append("<table><tr><th>severity</th><th>location</th><th>rule</th><th>finding</th>"
        + "<th>reviewers</th><th>state</th></tr>\n");
    for (FindingCluster c : clusters) {
      html.append("<tr><td><span class=\"sev sev-").append(c.severity().label()).append("\">")
          .append(c.severity().label()).append("</span>");
      if (reported && c.newFinding()) {
        html.append(" <span class=\"new\">new</span>");
      }
      html.append("</td><td>").append(Html.escape(c.fileKey() + ":" + c.startLine()
          + (c.endLine() != c.startLine() ? "-" + c.endLine() : ""))).append("</td><td>")
          .append(Html.escape(c.rule())).append("</td><td>").append(Html.escape(c.message()));
      if (!c.snippet().isEmpty()) {
        html.append("<pre>").append(Html.escape(c.snippet().length() > 600 ? c.snippet().substring(0, 600) + "…" : c.snippet()))
            .append("</pre>");
      }
      html.append("</td><td>").append(Html.escape(String.join(", ", c.reviewers()))).append("</td><td class=\"state\">")
          .append(Html.escape(c.state().label())).append("<div class=\"why\">").append(Html.escape(c.reason()))
          .append("</div></td></tr>\n");
    }
    html.append("</table>\n");
  }

  static String sha256(String content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
