package dev.converge.transforms.report.board;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The board's one style sheet and one script, and the Content-Security-Policy that allows exactly
 * these two (by their SHA-256 hashes) and nothing else: no other script, style, font, frame or
 * network request, and images only as {@code data:} URLs.
 */
final class BoardAssets {
  private BoardAssets() {}

  static final String STYLE =
      """
      :root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6f8; --c: #64748b; }
      * { box-sizing: border-box; }
      [hidden] { display: none !important; }
      body { margin: 0; color: var(--ink); background: var(--bg);
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      .top { padding: 16px 24px 12px; background: #fff; border-bottom: 1px solid var(--line); }
      h1 { font-size: 20px; margin: 0 0 4px; }
      .meta { color: var(--muted); margin: 0; }
      .states { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; padding: 0; margin: 10px 0 0; }
      .states li { padding: 1px 10px; border-radius: 999px; background: #eef0f3; border-left: 4px solid var(--c); }
      .notice { margin: 10px 0 0; padding: 6px 12px; border-radius: 6px; background: #fff7ed; border: 1px solid #fdba74; }
      .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; padding: 12px 24px; }
      figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
      figure h2 { font-size: 14px; margin: 0 0 6px; }
      figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
      .filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 8px; align-items: center;
        padding: 8px 24px; background: var(--bg); border-bottom: 1px solid var(--line); }
      .filters input, .filters select { font: inherit; padding: 5px 8px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; }
      .filters input { flex: 0 1 360px; }
      .shown { color: var(--muted); }
      .board { display: flex; gap: 10px; align-items: flex-start; padding: 12px 24px 24px; overflow-x: auto; }
      .column { flex: 1 1 260px; min-width: 260px; background: #eceff3; border-radius: 8px; padding: 8px; min-height: 80px; }
      .column.empty { flex: 0 0 150px; min-width: 150px; }
      .column h2 { display: flex; justify-content: space-between; gap: 8px; margin: 2px 4px 8px; padding-bottom: 4px;
        font-size: 12px; text-transform: uppercase; letter-spacing: .04em; border-bottom: 3px solid var(--c); }
      .count { font-variant-numeric: tabular-nums; }
      .group-title { font-size: 12px; color: var(--muted); margin: 8px 4px 4px; }
      .card { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--c); border-radius: 6px;
        padding: 8px 10px; margin-bottom: 8px; overflow-wrap: anywhere; }
      .card header { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
      .card h3 { font-size: 14px; margin: 0; }
      .badge { font-size: 11px; padding: 0 6px; border-radius: 999px; background: #eef0f3; }
      .badge.simulated { background: #fde68a; color: #78350f; font-weight: 700; text-transform: uppercase; }
      .instructions { margin: 4px 0; }
      .reason, .progress { margin: 4px 0; color: var(--muted); font-size: 12px; }
      .facts { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 6px 0; font-size: 12px; }
      .facts dt { color: var(--muted); }
      .facts dd { margin: 0; }
      .attempts, .votes { list-style: none; padding: 0; margin: 6px 0; font-size: 12px; }
      .attempts > li { border-top: 1px solid var(--line); padding: 4px 0; }
      .votes li { padding: 1px 0; }
      .ok { color: #15803d; }
      .bad { color: #b91c1c; }
      details summary { cursor: pointer; color: #334155; }
      details h4 { margin: 6px 0 2px; font-size: 11px; color: var(--muted); font-weight: 600; }
      pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 240px; overflow: auto; margin: 4px 0;
        padding: 6px 8px; border-radius: 4px; background: #0f172a; color: #e2e8f0; font-size: 11px; }
      a.patch { font-size: 12px; }
      .col-planned { --c: #94a3b8; }
      .col-implementing { --c: #3b82f6; }
      .col-testing { --c: #8b5cf6; }
      .col-verifying { --c: #0ea5e9; }
      .col-merged { --c: #16a34a; }
      .col-rejected { --c: #dc2626; }
      .col-conflict { --c: #d97706; }
      .col-failed { --c: #475569; }
      svg.chart { display: block; max-width: 100%; height: auto; }
      svg .label, svg .value, svg .tick, svg .legend { font-size: 11px; fill: #374151; }
      svg .axis { stroke: #9ca3af; stroke-width: 1; }
      svg .bar { fill: var(--c); }
      svg .agent { --c: #2563eb; }
      svg .agent-simulated { --c: #f59e0b; }
      svg .stage-implement { --c: #3b82f6; }
      svg .stage-test { --c: #8b5cf6; }
      svg .series { fill: none; stroke-width: 2; }
      svg .series.agents { stroke: #2563eb; }
      svg .series.tests { stroke: #9333ea; }
      svg .swatch.agents { fill: #2563eb; }
      svg .swatch.tests { fill: #9333ea; }
      """;

  /** Shows and hides cards; reads only attributes and form values, writes only text and {@code hidden}. */
  static final String SCRIPT =
      """
      (function () {
        'use strict';
        var text = document.getElementById('filter-text');
        var state = document.getElementById('filter-state');
        var target = document.getElementById('filter-target');
        var shown = document.getElementById('filter-shown');
        function apply() {
          var query = text.value.trim().toLowerCase();
          var cards = document.querySelectorAll('.card');
          var visible = 0;
          cards.forEach(function (card) {
            var match = (query === '' || card.getAttribute('data-search').indexOf(query) !== -1)
              && (state.value === '' || card.getAttribute('data-state') === state.value)
              && (target.value === '' || card.getAttribute('data-target') === target.value);
            card.hidden = !match;
            if (match) { visible++; }
          });
          document.querySelectorAll('.group').forEach(function (group) {
            group.hidden = group.querySelector('.card:not([hidden])') === null;
          });
          document.querySelectorAll('.column').forEach(function (column) {
            column.querySelector('.count').textContent =
              String(column.querySelectorAll('.card:not([hidden])').length);
          });
          shown.textContent = visible + ' of ' + cards.length + ' tasks shown';
        }
        text.addEventListener('input', apply);
        state.addEventListener('change', apply);
        target.addEventListener('change', apply);
        apply();
      })();
      """;

  static String contentSecurityPolicy() {
    return "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '" + sha256(SCRIPT)
        + "'; img-src data:; base-uri 'none'; form-action 'none'";
  }

  /** A CSP hash source: the base64 SHA-256 of the exact element content. */
  static String sha256(String content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
